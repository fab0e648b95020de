// Adds a new Ed25519 signing key to MUSTER_KEYS_DIR (default data/keys): it signs every new
// credential and audit head from now on; older keys stay published in /.well-known/did.json so
// what they signed still verifies. Restart the server afterwards.
import { createKey, loadKeys } from '../src/lib/server/credentials/keys';
import { readConfig } from '../src/lib/server/config';

const config = readConfig(process.env);
const before = await loadKeys(config.keysDir);
const key = await createKey(config.keysDir);
console.info(
	`New signing key ${key.publicKeyMultibase} in ${config.keysDir} (${before.length} older key(s) stay published). Restart the server.`
);
