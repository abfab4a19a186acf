import { db } from '../db';
import { AppError } from '../errors';
import { bumpGatewayEpoch } from '../gateway-store/gateway-epoch';
import { emptyPolicy, policyDocumentSchema, policyToYaml, type PolicyDocument } from './policy-document';

/**
 * Saves a policy as the next version and makes it active: its floors replace the floors in
 * force (labels are created when new; servers and tools must exist), all in one transaction,
 * then the gateway epoch moves so every replica applies it within 2 s.
 */
export async function savePolicyVersion(input: {
  /** The new document, or a change to apply to the one in force (read under the lock). */
  document: PolicyDocument | ((current: PolicyDocument) => PolicyDocument);
  yaml?: string;
  comment: string;
  actorId: string | null;
  /**
   * The version in force when an admin reviewed this change (0: none yet). When given, the
   * save is refused if another version was saved since, so what is saved is what was confirmed.
   */
  reviewedVersion?: number;
}) {
  const version = await db.$transaction(async (tx) => {
    // Versions are numbered and derived from the one in force: two admins saving at once must
    // queue, or one change would silently undo the other. (Key: "pqgate" 0x0002, see migrate.ts.)
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(8102370872878497794)::text AS locked`;
    const active = await tx.policyVersion.findFirst({ where: { active: true }, select: { version: true, document: true } });
    if (input.reviewedVersion !== undefined && (active?.version ?? 0) !== input.reviewedVersion) {
      throw new AppError('conflict', `v${active?.version ?? 0} was saved after you reviewed this change against v${input.reviewedVersion}, so nothing was saved. Review the change again.`);
    }
    const document = typeof input.document === 'function' ? input.document(active ? policyDocumentSchema.parse(active.document) : emptyPolicy()) : input.document;
    const servers = new Map((await tx.upstream.findMany({ select: { id: true, slug: true } })).map((u) => [u.slug, u.id]));
    const problems: string[] = [];
    for (const slug of Object.keys(document.floors.servers)) if (!servers.has(slug)) problems.push(`floors.servers.${slug}: no server named ${slug} is registered (see Servers)`);
    const toolIds = new Map<string, string>();
    for (const key of Object.keys(document.floors.tools)) {
      const [slug, ...rest] = key.split('/');
      const upstreamId = servers.get(slug ?? '');
      const tool = upstreamId ? await tx.tool.findUnique({ where: { upstreamId_name: { upstreamId, name: rest.join('/') } }, select: { id: true } }) : null;
      if (!tool) problems.push(`floors.tools.${key}: no tool ${key} has been discovered (see Tools)`);
      else toolIds.set(key, tool.id);
    }
    if (problems.length) throw new AppError('invalid_input', `The policy names things this gateway does not have: ${problems.join('; ')}.`, { yaml: problems });

    const labelIds = new Map<string, string>();
    for (const name of Object.keys(document.floors.labels)) {
      const label = await tx.label.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
      labelIds.set(name, label.id);
    }
    const last = await tx.policyVersion.findFirst({ orderBy: { version: 'desc' }, select: { version: true } });
    const next = (last?.version ?? 0) + 1;
    await tx.policyVersion.updateMany({ where: { active: true }, data: { active: false } });
    const created = await tx.policyVersion.create({
      data: {
        version: next,
        yaml: input.yaml ?? policyToYaml(document, `pqgate policy v${next}`),
        document: document as object,
        mode: document.mode,
        active: true,
        comment: input.comment,
        createdById: input.actorId,
      },
      select: { id: true, version: true, mode: true },
    });
    await tx.cryptoFloor.deleteMany({});
    await tx.cryptoFloor.createMany({
      data: [
        ...Object.entries(document.floors.labels).map(([name, floor]) => ({ scope: 'label' as const, labelId: labelIds.get(name)!, floor })),
        ...Object.entries(document.floors.servers).map(([slug, floor]) => ({ scope: 'upstream' as const, upstreamId: servers.get(slug)!, floor })),
        ...Object.entries(document.floors.tools).map(([key, floor]) => ({ scope: 'tool' as const, toolId: toolIds.get(key)!, floor })),
      ],
    });
    return created;
  });
  await bumpGatewayEpoch();
  return version;
}
