import { env } from '../env';
import { db } from '../db';

export interface SignInLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
}

export function signInLimits(): SignInLimits {
  const e = env();
  return {
    maxFailuresPerAccount: e.PQGATE_SIGNIN_MAX_FAILURES_PER_ACCOUNT,
    maxFailuresPerIp: e.PQGATE_SIGNIN_MAX_FAILURES_PER_IP,
    windowSeconds: e.PQGATE_SIGNIN_WINDOW_SECONDS,
  };
}

/**
 * Whether sign-in is currently blocked for this account or this address, counting failed
 * attempts in the sliding window. Kept in the database so every replica sees the same count.
 */
export async function isSignInBlocked(email: string, ip: string, limits = signInLimits()): Promise<boolean> {
  const since = new Date(Date.now() - limits.windowSeconds * 1000);
  const [byAccount, byIp] = await Promise.all([
    db.signInAttempt.count({ where: { email, success: false, createdAt: { gte: since } } }),
    db.signInAttempt.count({ where: { ip, success: false, createdAt: { gte: since } } }),
  ]);
  return byAccount >= limits.maxFailuresPerAccount || byIp >= limits.maxFailuresPerIp;
}

export async function recordSignInAttempt(email: string, ip: string, success: boolean): Promise<void> {
  await db.signInAttempt.create({ data: { email, ip, success } });
}
