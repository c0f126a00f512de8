import { hash, verify } from '@node-rs/argon2';

/*
 * Argon2id with OWASP's minimum memory-hard parameters (19 MiB, 2 passes, 1 lane), ~25 ms here.
 * 2 is Algorithm.Argon2id; the library declares it as a const enum, which isolated modules
 * cannot import.
 */
const argon2id = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2id);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;
/**
 * Verifying against a throwaway hash when the account does not exist makes a wrong email take as
 * long as a wrong password, so response time does not reveal which addresses have accounts.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('plantline-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}
