export * from './users';
export * from './auth';
export * from './system';
export * from './learning';
export * from './assessments';
export * from './certificates';
export * from './organizations';
export * from './training';
