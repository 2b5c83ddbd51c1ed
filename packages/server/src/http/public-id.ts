/** Public ids in URLs (rooms, groups): anything else is not looked up at all. */
export const PUBLIC_ID = /^[A-Za-z0-9_-]{1,64}$/;
