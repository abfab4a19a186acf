import { db } from '../db';
import { AppError } from '../errors';

export async function createIdentity(input: { name: string; owner: string; kind: 'person' | 'agent' | 'service'; labels: string[]; allowedServers: string[] }) {
  if (await db.identity.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw new AppError('conflict', `An identity named ${input.name} already exists.`, { name: ['This name is taken.'] });
  }
  return db.identity.create({ data: input, select: { id: true, name: true } });
}
