import dayjs from 'dayjs';

/** fmt is a time as clerks write it, in the browser's zone (Asia/Shanghai in the offices). */
export const fmt = (s?: string) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');
