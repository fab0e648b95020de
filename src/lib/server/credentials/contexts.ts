export const VC_CONTEXT_URL = 'https://www.w3.org/ns/credentials/v2';
