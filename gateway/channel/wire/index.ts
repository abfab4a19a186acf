/**
 * The channel's wire format: the ONE module that parses and length-checks every field of every
 * message, cookie and ticket before any cryptography runs. Layouts are specified byte-exactly in
 * docs/protocol.md; `codec.ts` is the bounded reader/writer they share.
 */
export * from './messages';
export * from './state';
