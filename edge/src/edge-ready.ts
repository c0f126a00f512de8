/** Sent over the IPC channel, when there is one, so a launcher learns the URL without parsing logs. */
export interface EdgeReadyMessage {
  type: 'edge-ready';
  /** Full URL of GET /status; its port may differ from EDGE_STATUS_PORT. */
  statusUrl: string;
  /** Where devices connect (embedded broker; its port may differ from EDGE_MQTT_PORT) or the plant broker. */
  mqttUrl: string | null;
}

export function isEdgeReadyMessage(message: unknown): message is EdgeReadyMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'edge-ready' &&
    typeof (message as { statusUrl?: unknown }).statusUrl === 'string'
  );
}
