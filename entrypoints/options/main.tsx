import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { Options } from '../../components/options/Options';

const send = (message: { type: string }) => browser.runtime.sendMessage(message);
createRoot(document.getElementById('root')!).render(<Options send={send} />);
