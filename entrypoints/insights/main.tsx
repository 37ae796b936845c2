import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { Insights } from '../../components/insights/Insights';

const send = (message: { type: string; [key: string]: unknown }) => browser.runtime.sendMessage(message);
createRoot(document.getElementById('root')!).render(<Insights send={send} storage={browser.storage.local} />);
