/** What a Boknett ticket or Bokbasen token gives away to whoever sees it (said where the node may output it). */
export const TOKEN_HOLDS = 'A Boknett ticket acts as the account for up to 2 hours (unless deleted), a Bokbasen token until it expires.';
