/** The mark beside a setting that enterprise policy fixed (lib/policy/policy.ts `effective`). */
export const Lock = () => <span className="lock">🔒 set by your organisation</span>;
