import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { Popup } from '../../components/popup/Popup';
import type { PageMessage } from '../../lib/messages';

const send = (message: PageMessage) => browser.runtime.sendMessage(message);
createRoot(document.getElementById('root')!).render(<Popup send={send} />);
