import { CallChat } from '../components/call-chat/call-chat.js';

CallChat.define('call-chat');

declare global {
  interface HTMLElementTagNameMap {
    'call-chat': CallChat;
  }
}
