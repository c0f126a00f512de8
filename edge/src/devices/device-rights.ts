import { isPlantlineTopic, TOPIC_ROOT } from '@plantline/schema';

/**
 * What a device may publish. `plants: null` is every plant (the local fallback login and anonymous
 * devices, whose events the cloud still confines to the edge key's plants); otherwise the topic must
 * lie under one of the plants and, when set, the line and machine.
 */
export interface DeviceRights {
  plants: readonly string[] | null;
  line: string | null;
  machine: string | null;
}

export const ALL_PLANTS: DeviceRights = { plants: null, line: null, machine: null };

export type PublishDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Topics outside `plantline/` are allowed and ignored by the ingress (nobody can subscribe to them
 * here); `$` topics are the broker's own (MQTT 3.1.1 §4.7.2). Within `plantline/`, a malformed topic
 * inside the device's rights is dead-lettered by the ingress, one outside them is refused.
 */
export function decidePublish(rights: DeviceRights, topic: string): PublishDecision {
  if (topic.startsWith('$')) return { allowed: false, reason: `${topic.split('/')[0]} topics are reserved` };
  if (!isPlantlineTopic(topic) || rights.plants === null) return { allowed: true };
  const within = rights.plants.some((plant) => {
    let prefix = `${TOPIC_ROOT}/${plant}/`;
    if (rights.line !== null) prefix += `${rights.line}/`;
    if (rights.line !== null && rights.machine !== null) prefix += `${rights.machine}/`;
    return topic.startsWith(prefix);
  });
  return within ? { allowed: true } : { allowed: false, reason: `topic outside the device's rights` };
}
