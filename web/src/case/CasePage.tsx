import './messages';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Descriptions, Flex, Result, Row, Skeleton, Tag } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { useActions, useCalendar, useCase, type AllowedAction, type CaseClock, type CaseDetail, type Finding, type SupervisionOrder, type Task } from '../api/queries';
import { useCaseProcedure } from '../api/procedures';
import { nameOf } from '../components/names';
import { Danger, Heading, Muted, Section } from '../components/text';
import { TimeLeftTag } from '../queue/TimeLeftTag';
import { ActionModal } from './ActionModal';
import { Documents } from './Documents';
import { DueExplanation } from './DueExplanation';
import { fmt, fmtDue } from './format';
import { Timeline } from './Timeline';
import { Residents } from './Residents';
import { useSession } from '../auth/session';
import { SmallTable, whenBy } from './SmallTable';

// The diagram (xyflow, dagre) is a chunk of its own: the case page draws its summary first.
const StepDiagram = lazy(() => import('../diagram/StepDiagram').then((m) => ({ default: m.StepDiagram })));
// The papers (附件), with antd's Upload, are a chunk of their own too.
const AttachmentsSection = lazy(() => import('./Attachments').then((m) => ({ default: m.AttachmentsSection })));
// The rating link's dialog draws a QR code: a chunk of its own, for closed cases only.
const RatingLink = lazy(() => import('./RatingLink').then((m) => ({ default: m.RatingLink })));

/** DiagramSection is the 流程图 card: the case's procedure version with its current step highlighted, folded away on a click. */
function DiagramSection({ kase }: { kase: CaseDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(true);
  const p = useCaseProcedure(kase);
  const title = (
    <Flex justify="space-between" align="center">
      <span>{t('case.diagram')}</span>
      <Button size="small" type="link" aria-expanded={open} aria-controls="case-diagram" onClick={() => setOpen(!open)}>
        {open ? t('case.diagramHide') : t('case.diagramShow')}
      </Button>
    </Flex>
  );
  return (
    <Section title={title} testId="diagram">
      <div id="case-diagram" hidden={!open}>
        {open &&
          (p.error ? (
            <Danger>{t('case.loadFailed', { reason: p.error.message })}</Danger>
          ) : !p.data ? (
            <Skeleton active />
          ) : (
            <Suspense fallback={<Skeleton active />}>
              <StepDiagram procedure={p.data} current={kase.status === 'open' ? kase.step : undefined} />
            </Suspense>
          ))}
      </div>
    </Section>
  );
}

/** CasePage is a case as the server has it: summary, open tasks, statutory periods, timeline, and the actions the user may take now. */
// The roles that register matters, who add a resident to a group matter (集体访).
const registrars = new Set(['clerk', 'grid', 'supervisor', 'admin']);

export function CasePage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const c = useCase(id);
  const actions = useActions(id);
  const calendar = useCalendar();
  const [open, setOpen] = useState<AllowedAction | null>(null);
  const role = useSession()?.user.role;

  if (c.isLoading) return <Skeleton active />;
  if (c.error || !c.data) {
    const missing = c.error instanceof ApiError && c.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('case.notFound') : t('error.generic', { reason: c.error?.message })}
        extra={<Link to="/queue">{t('case.back')}</Link>}
      />
    );
  }
  const k = c.data;
  const openTasks = (k.tasks ?? []).filter((x) => x.status === 'open');
  const current = openTasks.find((x) => x.step === k.step) ?? openTasks[0];
  const step = current?.name ?? k.tasks?.find((x) => x.step === k.step)?.name ?? k.step;
  const unit = (code?: string) => nameOf(k.names, 'units', code, i18n.language);
  const holder = (x: Task) => {
    const by = x.department ? nameOf(k.names, 'departments', x.department, i18n.language) : unit(x.org_unit);
    return [by, x.role && t(`role.${x.role}`, { defaultValue: x.role }), x.delegate && t('case.delegatedTo', { user: x.delegate })]
      .filter(Boolean).join(' · ');
  };
  const now = dayjs();

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={12} wrap>
        <Link to="/queue">
          <Button icon={<ArrowLeftOutlined />} aria-label={t('case.back')} />
        </Link>
        <Heading level={2}>{t('case.title', { number: k.number })}</Heading>
        <Tag color={k.status === 'open' ? 'processing' : 'default'}>{t(`status.${k.status}`, { defaultValue: k.status })}</Tag>
        {k.overdue && <Tag color="#cf1322">{t('case.overdue')}</Tag>}
        <Documents id={k.id} number={k.number} />
      </Flex>

      <Section title={t('case.actions')} testId="actions">
        {actions.isLoading ? (
          <Skeleton.Button active />
        ) : actions.error ? (
          <Danger>{t('case.loadFailed', { reason: actions.error.message })}</Danger>
        ) : (actions.data ?? []).length === 0 ? (
          <Muted>{t('case.noActions')}</Muted>
        ) : (
          <Flex gap={8} wrap>
            {(actions.data ?? []).map((a) => (
              <Button
                key={`${a.type}-${a.task ?? ''}`}
                type={a.type === 'complete' || a.type === 'report' ? 'primary' : 'default'}
                data-testid={`action-${a.type}`}
                // While the offers are loaded again (after an action), the one shown may be gone:
                // the form would open on what the case no longer offers.
                disabled={actions.isFetching}
                onClick={() => setOpen(a)}
              >
                {t(`action.${a.type}`, { defaultValue: a.type })}
              </Button>
            ))}
            {/* A case the resident may still evaluate may also be rated by the resident's own link. */}
            {(actions.data ?? []).some((a) => a.type === 'evaluate') && (
              <Suspense fallback={null}>
                <RatingLink caseId={k.id} />
              </Suspense>
            )}
          </Flex>
        )}
      </Section>

      <Descriptions bordered column={{ xs: 1, md: 2, xl: 3 }} size="small" data-testid="summary">
        <Descriptions.Item label={t('case.number')}>{k.number}</Descriptions.Item>
        <Descriptions.Item label={t('case.matter')}>{t(`matter.${k.matter}`, { defaultValue: k.matter })}</Descriptions.Item>
        <Descriptions.Item label={t('case.status')}>
          {t(`status.${k.status}`, { defaultValue: k.status })}
          {k.outcome_kind && ` · ${t(`kind.${k.outcome_kind}`, { defaultValue: k.outcome_kind })}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('case.step')}>{step || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.holder')}>{current ? holder(current) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.orgUnit')}>
          {unit(k.org_unit)}（{t(`level.${k.level}`, { defaultValue: k.level })}）
        </Descriptions.Item>
        <Descriptions.Item label={t('case.receivedAt')}>{fmt(k.received_at)}</Descriptions.Item>
        <Descriptions.Item label={t('case.registeredAt')}>{fmt(k.registered_at ?? k.received_at)}</Descriptions.Item>
        <Descriptions.Item label={t('case.channel')}>
          {t(`channel.${k.channel}`, { defaultValue: k.channel })}
          {(k.visits ?? 1) > 1 && ` · ${t('case.visits', { count: k.visits })}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('case.subject')} span={2}>{k.subject}</Descriptions.Item>
        <Descriptions.Item label={t('case.resident')}>
          <Residents kase={k} canAdd={k.status === 'open' && registrars.has(role ?? '')} />
        </Descriptions.Item>
      </Descriptions>

      {(k.conferences ?? [])
        .filter((c) => c.status === 'scheduled')
        .map((c) => (
          <Alert
            key={c.id}
            type="info"
            showIcon
            data-testid="conference-waiting"
            title={t('case.conferenceWaiting', { title: c.title, at: fmt(c.at), place: c.place })}
            description={c.stop_clock ? t('case.conferenceClock') : undefined}
          />
        ))}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Flex vertical gap={16}>
            <Section title={t('case.tasks')}>
              <SmallTable<Task>
                rowKey={(x) => x.id}
                rows={openTasks}
                empty={t('case.noTasks')}
                testId="tasks"
                columns={[
                  { title: t('case.task'), key: 'name', render: (x) => x.name },
                  { title: t('case.held'), key: 'holder', render: (x) => holder(x) },
                  {
                    title: t('case.dueAt'),
                    key: 'due',
                    render: (x) => (
                      <Flex vertical gap={2}>
                        <span>{fmtDue(x.due_at)}</span>
                        {x.suspended && <Tag>{t('case.suspended')}</Tag>}
                      </Flex>
                    ),
                  },
                  {
                    title: t('queue.left'),
                    key: 'left',
                    render: (x) => <TimeLeftTag task={x} now={now} calendar={calendar.data} />,
                  },
                  {
                    title: t('case.why'),
                    key: 'why',
                    render: (x) => (x.explanation ? <DueExplanation explanation={x.explanation} basis={x.basis} /> : '—'),
                  },
                ]}
              />
            </Section>
            <Suspense fallback={<Skeleton active />}>
              <AttachmentsSection caseId={k.id} canUpload={(actions.data ?? []).length > 0} />
            </Suspense>
            {(k.clocks ?? []).length > 0 && (
              <Section title={t('case.clocks')}>
                <SmallTable<CaseClock>
                  rowKey={(x) => x.id}
                  rows={k.clocks ?? []}
                  empty=""
                  testId="clocks"
                  columns={[
                    { title: t('case.clock'), key: 'name', render: (x) => x.name },
                    {
                      title: t('case.period'),
                      key: 'period',
                      render: (x) => `${x.period.amount} ${t(`unit.${x.period.unit}`, { defaultValue: x.period.unit })}`,
                    },
                    { title: t('case.startedAt'), key: 'start', render: (x) => fmt(x.started_at) },
                    { title: t('case.dueAt'), key: 'due', render: (x) => fmtDue(x.due_at) },
                    {
                      title: t('case.status'),
                      key: 'state',
                      render: (x) => (
                        <Flex gap={4} wrap>
                          {x.overdue ? <Tag color="#cf1322">{t('case.overdue')}</Tag> : <Tag color="#237804">{t('case.onTime')}</Tag>}
                          <Tag>{x.stopped_at ? t('case.stopped') : x.suspended ? t('case.suspended') : t('case.running')}</Tag>
                          {!!x.extensions && <Tag>{t('case.extensions', { count: x.extensions })}</Tag>}
                        </Flex>
                      ),
                    },
                    {
                      title: t('case.why'),
                      key: 'why',
                      render: (x) => (x.explanation ? <DueExplanation explanation={x.explanation} basis={x.basis} /> : '—'),
                    },
                  ]}
                />
              </Section>
            )}
            {(k.supervision ?? []).length > 0 && (
              <Section title={t('case.orders')}>
                <SmallTable<SupervisionOrder>
                  rowKey={(x) => x.id}
                  rows={k.supervision ?? []}
                  empty=""
                  testId="orders"
                  columns={[
                    whenBy<SupervisionOrder>(t('case.orderedAt')),
                    { title: t('case.orderedTo'), key: 'to', render: (x) => <span style={{ whiteSpace: 'nowrap' }}>{unit(x.org_unit)}</span> },
                    { title: t('case.reason'), key: 'reason', render: (x) => x.reason },
                    { title: t('case.replyBy'), key: 'due', render: (x) => <span style={{ whiteSpace: 'nowrap' }}>{fmtDue(x.due_at)}</span> },
                    {
                      title: t('case.reply'),
                      key: 'reply',
                      render: (x) =>
                        x.replied_at ? (
                          <Flex vertical gap={2}>
                            <span>{x.reply}</span>
                            <Muted>
                              {x.replied_by} · {fmt(x.replied_at)}
                              {dayjs(x.replied_at).isAfter(x.due_at) && <> · {t('case.repliedLate')}</>}
                            </Muted>
                          </Flex>
                        ) : x.overdue ? (
                          <Tag color="#cf1322">{t('case.replyOverdue')}</Tag>
                        ) : (
                          <Tag color="processing">{t('case.replyWaiting')}</Tag>
                        ),
                    },
                  ]}
                />
              </Section>
            )}
            {(k.findings ?? []).length > 0 && (
              <Section title={t('case.findings')}>
                <SmallTable<Finding>
                  rowKey={(x) => x.id}
                  rows={k.findings ?? []}
                  empty=""
                  testId="findings"
                  columns={[
                    whenBy<Finding>(t('case.foundAt')),
                    {
                      title: t('case.foundOn'),
                      key: 'on',
                      render: (x) =>
                        x.task
                          ? (k.tasks ?? []).find((y) => y.id === x.task)?.name ?? x.task
                          : t('case.foundOrder', { id: x.order }),
                    },
                    {
                      title: t('case.responsible'),
                      key: 'who',
                      render: (x) => (
                        <span style={{ whiteSpace: 'nowrap' }}>
                          {x.department ? nameOf(k.names, 'departments', x.department, i18n.language) : unit(x.org_unit)}
                        </span>
                      ),
                    },
                    { title: t('case.cause'), key: 'cause', render: (x) => x.cause },
                    { title: t('case.measure'), key: 'measure', render: (x) => x.measure },
                  ]}
                />
              </Section>
            )}
          </Flex>
        </Col>
        <Col xs={24} xl={9}>
          <Section title={t('case.timeline')}>
            <Timeline kase={k} />
          </Section>
        </Col>
      </Row>

      <DiagramSection kase={k} />

      {open && (
        <ActionModal action={open} kase={k} onClose={() => setOpen(null)} />
      )}
    </Flex>
  );
}
