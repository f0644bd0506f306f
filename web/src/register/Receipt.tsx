import { useTranslation } from 'react-i18next';
import { orgUnitName, useOrgUnits } from '../api/org';
import type { CaseDetail } from '../api/queries';
import { useSession } from '../auth/session';
import { fmt, fmtDue } from '../case/format';

// On paper only the receipt: the menu, the top bar and the page's buttons are not printed.
const printCSS = `
.od-receipt { max-width: 640px; margin: 24px auto 0; padding: 32px 40px; background: #fff; color: #000;
  border: 1px solid #d9d9d9; box-shadow: 0 2px 8px rgba(0,0,0,0.08); font-size: 14px; line-height: 1.8; }
.od-receipt h2 { text-align: center; font-size: 22px; letter-spacing: 6px; margin: 0 0 4px; }
.od-receipt .od-center { text-align: center; margin: 0 0 16px; }
.od-receipt .od-number { font-size: 26px; font-weight: 700; letter-spacing: 1px; text-align: center; margin: 8px 0 16px;
  border: 2px solid #000; padding: 4px 0; }
.od-receipt table { width: 100%; border-collapse: collapse; }
.od-receipt th, .od-receipt td { border: 1px solid #595959; padding: 4px 8px; text-align: left; vertical-align: top; }
.od-receipt th { width: 28%; font-weight: 600; background: #fafafa; }
.od-receipt .od-sign { display: flex; justify-content: space-between; margin-top: 40px; gap: 24px; }
.od-receipt .od-sign span { flex: 1; border-bottom: 1px solid #000; padding-bottom: 2px; }
.od-receipt .od-note { margin-top: 16px; font-size: 12px; }
@media print {
  @page { size: A5 portrait; margin: 12mm; }
  body * { visibility: hidden !important; }
  body, .ant-layout { background: #fff !important; }
  .ant-layout-sider, .ant-layout-header { display: none !important; }
  .od-receipt, .od-receipt * { visibility: visible !important; }
  .od-receipt { position: absolute; left: 0; top: 0; width: 100%; max-width: none; margin: 0; padding: 0; border: none; box-shadow: none; }
  .od-receipt th { background: none; }
}
`;

/**
 * Receipt is the 受理回执 handed to the resident at the window: the case number, what was
 * received when and by whom, the next step and its statutory deadline, and lines to sign. It is
 * drawn on the page and, with @media print, alone on paper.
 */
export function Receipt({ kase: k, procedureName }: { kase: CaseDetail; procedureName?: string }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const units = useOrgUnits();
  const me = useSession()?.user;
  const unit = orgUnitName(units.data, k.received_by, en) || me?.org_unit_name || k.received_by;
  const next = (k.tasks ?? []).find((x) => x.status === 'open' && x.step === k.step) ?? (k.tasks ?? []).find((x) => x.status === 'open');
  const clocks = (k.clocks ?? []).filter((c) => !c.stopped_at);
  return (
    <section className="od-receipt" data-testid="receipt" aria-label={t('receipt.title')}>
      <style>{printCSS}</style>
      <h2>{t('receipt.title')}</h2>
      <p className="od-center">{unit}</p>
      <div className="od-number" data-testid="receipt-number">{k.number}</div>
      <table>
        <tbody>
          <tr><th scope="row">{t('receipt.matter')}</th><td>{procedureName || t(`matter.${k.matter}`, { defaultValue: k.matter })}</td></tr>
          <tr><th scope="row">{t('receipt.subject')}</th><td>{k.subject}</td></tr>
          <tr><th scope="row">{t('receipt.resident')}</th><td>{k.resident_name}</td></tr>
          <tr><th scope="row">{t('receipt.channel')}</th><td>{t(`channel.${k.channel}`, { defaultValue: k.channel })}</td></tr>
          <tr><th scope="row">{t('receipt.receivedAt')}</th><td>{fmt(k.received_at)}</td></tr>
          <tr><th scope="row">{t('receipt.unit')}</th><td>{unit}</td></tr>
          {next && (
            <tr>
              <th scope="row">{t('receipt.next')}</th>
              <td>
                {next.name}
                {next.due_at && `，${t('receipt.dueBy', { due: fmtDue(next.due_at) })}`}
                {next.basis && `（${next.basis}）`}
              </td>
            </tr>
          )}
          {clocks.map((c) => (
            <tr key={c.id}>
              <th scope="row">{t('receipt.period')}</th>
              <td>
                {c.name}：{t('receipt.dueBy', { due: fmtDue(c.due_at) })}
                {c.basis && `（${c.basis}）`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="od-note">{t('receipt.note')}</p>
      <div className="od-sign">
        <span>{t('receipt.clerk')}</span>
        <span>{t('receipt.resident2')}</span>
        <span>{t('receipt.date')}</span>
      </div>
    </section>
  );
}
