import { useEffect, useState } from 'react';
import { SECTIONS, type Send } from './sections';
import { optionsCss } from './styles';

/** The options page: one section at a time, chosen by the URL hash (options.html#sync). */
export function Options({ send }: { send: Send }) {
  // Admin-only sections (the editor) are left out once the background says admin mode is off.
  const [adminMode, setAdminMode] = useState(true);
  const sections = SECTIONS.filter((s) => adminMode || !s.adminOnly);
  const [hash, setHash] = useState(location.hash);
  const section = sections.find((s) => `#${s.id}` === hash) ?? sections[0]!;
  useEffect(() => {
    const controller = new AbortController();
    window.addEventListener('hashchange', () => setHash(location.hash), { signal: controller.signal });
    send({ type: 'packs:list' }).then(
      (reply) => setAdminMode((reply as { adminMode?: boolean } | undefined)?.adminMode !== false),
      () => {},
    );
    return () => controller.abort();
  }, [send]);
  return (
    <>
      <style>{optionsCss}</style>
      <div className="layout">
        <nav aria-label="Settings">
          <p className="brand">CRM Coach</p>
          <ul>
            {sections.map((s) => (
              <li key={s.id}>
                <a href={`#${s.id}`} aria-current={s.id === section.id ? 'page' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main>
          <h1>{section.title}</h1>
          <section.Component send={send} />
        </main>
      </div>
    </>
  );
}
