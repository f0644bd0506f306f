import { QueryClient } from '@tanstack/react-query';

/** queryClient is the workbench's one cache of server state. */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});
