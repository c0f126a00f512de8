// Migrates an embedded engine once per run; every browser test file's cloud starts from its dump.
export { setupEmbeddedSnapshot as default } from '@plantline/cloud/testing/test-databases';
