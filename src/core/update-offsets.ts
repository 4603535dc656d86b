/** How far the daemon has read one bot's updates: the next update id Telegram's `getUpdates` should give, and when that was saved. */
export interface UpdateOffset {
  offset: number;
  savedAt: number;
}

/**
 * Where the daemon keeps how far it has read each bot's Telegram updates (the store), so that a
 * restart of Lifeguard neither carries out a command again nor skips one. `bot` is the bot's id
 * (the token's part before the colon, which is no secret).
 */
export interface UpdateOffsets {
  /** Null when none is kept. */
  readUpdateOffset(bot: string): UpdateOffset | null;
  saveUpdateOffset(bot: string, offset: number, at: number): void;
}
