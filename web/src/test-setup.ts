import { configure } from '@testing-library/react';

// jsdom lacks what antd's responsive pieces ask the browser: a matchMedia that matches nothing.
if (typeof window !== 'undefined' && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false, media: query, onchange: null,
      addListener: () => {}, removeListener: () => {}, addEventListener: () => {}, removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

// Nor does it lay anything out: a ResizeObserver that never reports.
if (typeof window !== 'undefined' && !('ResizeObserver' in window)) {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// The tests run beside the Go tests and Chromium on a loaded machine: a page that first loads
// its chunk and asks the center may take more than the library's default second to draw, so
// findBy* and waitFor wait up to five.
configure({ asyncUtilTimeout: 5000 });
