import type { components } from '../api/schema';

export type ErrorDetail = components['schemas']['ErrorDetail'];
