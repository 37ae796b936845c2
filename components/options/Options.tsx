import { useEffect, useState } from 'react';
import { SECTIONS, type Send } from './sections';
import { optionsCss } from './styles';

/** The options page: one section at a time, chosen by the URL hash (options.html#sync). */
export function Options({ send }: { send: Send }) {
  const current = () => SECTIONS.find((s) => `#${s.id}` === location.hash) ?? SECTIONS[0]!;
  const [section, setSection] = useState(current);
  useEffect(() => {
    const controller = new AbortController();
    window.addEventListener('hashchange', () => setSection(current()), { signal: controller.signal });
    return () => controller.abort();
  }, []);
  return (
    <>
      <style>{optionsCss}</style>
      <div className="layout">
        <nav aria-label="Settings">
          <p className="brand">CRM Coach</p>
          <ul>
            {SECTIONS.map((s) => (
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
