// Toasts load antd's message on first use: they follow a click, so the first page does not
// carry them (nor antd's App, which would also bundle Modal and notification).

/** notify shows a short success or error message at the top of the page. */
export async function notify(kind: 'success' | 'error', text: string): Promise<void> {
  const { default: message } = await import('antd/es/message');
  void message[kind](text);
}
