import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { lintGutter, linter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { scanDoc, suggest, type Vocabulary } from './complete';
import { lintRanges } from './lint';
import { validate, type Validation } from './queries';

/** YamlEditorHandle lets the page read the text and write into it (the everyday forms do). */
export interface YamlEditorHandle {
  text(): string;
  setText(text: string): void;
}

export interface YamlEditorProps {
  initial: string;
  readOnly: boolean;
  label: string;
  /** The organisation's codes; the steps and fields come from the text itself. */
  vocabulary: Pick<Vocabulary, 'units' | 'departments'>;
  onChange?: (text: string) => void;
  /** Each answer of the server's check, with the text it checked. */
  onValidated?: (v: Validation, text: string) => void;
  /** The check is under way. */
  onChecking?: () => void;
}

/**
 * YamlEditor is CodeMirror 6 in YAML mode, checked as you type: half a second after the last
 * keystroke the text goes to POST /v1/procedures/validate and every problem comes back as a
 * lint mark at its line and column; completion offers steps, fields, rule variables and codes.
 */
export const YamlEditor = forwardRef<YamlEditorHandle, YamlEditorProps>(function YamlEditor(
  { initial, readOnly, label, vocabulary, onChange, onValidated, onChecking },
  ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The callbacks and vocabulary change with every render; the editor reads the latest.
  const props = useRef({ vocabulary, onChange, onValidated, onChecking });
  props.current = { vocabulary, onChange, onValidated, onChecking };

  useImperativeHandle(ref, () => ({
    text: () => view.current?.state.doc.toString() ?? '',
    setText: (text) => {
      const v = view.current;
      if (v) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    },
  }), []);

  useEffect(() => {
    const check = linter(async (v): Promise<Diagnostic[]> => {
      const text = v.state.doc.toString();
      props.current.onChecking?.();
      try {
        const r = await validate(text);
        props.current.onValidated?.(r, text);
        return lintRanges(v.state.doc, r.problems ?? []).map((m) => ({ ...m, severity: 'error' as const, source: 'OneDoor' }));
      } catch {
        return [];
      }
    }, { delay: 500 });
    const complete = (ctx: CompletionContext): CompletionResult | null => {
      const line = ctx.state.doc.lineAt(ctx.pos);
      const before = line.text.slice(0, ctx.pos - line.from);
      const s = suggest(before, { ...scanDoc(ctx.state.doc.toString()), ...props.current.vocabulary });
      if (!s || (s.from === before.length && !ctx.explicit && !/[:.[\s"]$/.test(before))) return null;
      return { from: line.from + s.from, options: s.options, validFor: /^[\w-]*$/ };
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: initial,
        extensions: [
          lineNumbers(), history(), highlightActiveLine(), bracketMatching(), indentOnInput(),
          syntaxHighlighting(defaultHighlightStyle), yaml(), keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly), EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label }),
          lintGutter(), check, autocompletion({ override: [complete] }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) props.current.onChange?.(u.state.doc.toString());
          }),
          EditorView.theme({
            '&': { height: '100%', fontSize: '13px', border: '1px solid #d9d9d9', borderRadius: '6px' },
            '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
            '.cm-gutters': { background: '#fafafa', color: '#595959' },
          }),
        ],
      }),
    });
    // The scroller is a region a keyboard user must reach too (axe scrollable-region-focusable).
    v.scrollDOM.tabIndex = 0;
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is made once per version opened (the page keys it); later props are read through the ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={host} style={{ height: '100%' }} data-testid="yaml-editor" />;
});
