import { ParticipantList } from '../components/participant-list/participant-list.js';

ParticipantList.define('participant-list');

declare global {
  interface HTMLElementTagNameMap {
    'participant-list': ParticipantList;
  }
}
