/** The environment variable holding the bench worker's settings as JSON, such as `{"maxCachedWorkflows":500}`. */
export const WORKER_TUNING_ENV = 'BENCH_WORKER_TUNING';
