// Fixed secrets for tests. Long enough for HS256 and easy to grep for in responses (they must never appear).
export const TEST_TOKEN_SECRET = 'test-call-token-secret-0123456789abcdef';
export const TEST_SFU_APP_ID = 'test-app';
export const TEST_SFU_APP_SECRET = 'test-sfu-app-secret-MUST-NEVER-LEAK-4f1d2c';
