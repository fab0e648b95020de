// The Digital Bazaar / DCC credential packages ship JavaScript without type declarations.
declare module '@digitalbazaar/ed25519-multikey';
declare module '@digitalbazaar/vc';
declare module '@digitalbazaar/data-integrity';
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
declare module '@digitalbazaar/multikey-context';
