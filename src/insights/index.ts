/** Audit insights over loaded entries: detail parser, rules, filter syntax, aggregation, reports. Plain Node. */
export * from './parse';
export * from './rules';
export * from './query';
export * from './aggregate';
export * from './report';
