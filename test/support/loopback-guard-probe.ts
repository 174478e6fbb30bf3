// Deliberately resolves a public-looking name: test/e2e/sfu-loopback.test.ts checks the guard blocks it.
import { lookup } from 'node:dns';

lookup('example.invalid', () => {});
