// A deployment stated as one machine: "a single Node process", "300 users on one server", "runs on a
// Raspberry Pi", "the server runs on the device". Its fleet is one instance and the context caps it
// there: no spare instance and no cross-node fan-out is proposed for it (design/capacity.ts).
import type { NumberRequirement } from '../types.js';

/** Each pattern names one host in a way no larger fleet is read into. Data, tried in order. */
const ONE_HOST: readonly RegExp[] = [
  // "a single Node process", "one server", "only one instance", "one VM": not "one server per region".
  /\b(?:a single|one|only one|just one)\s+(?:(?:Node(?:\.js)?|app|application|server|backend|API|web)\s+)?(?:process|instance|server|VM|virtual machine|droplet|host)\b(?!\s+(?:per|for each|in each|each)\b)(?!\s*,?\s*(?:and|plus|then|or|rising|growing|scaling)\s+(?:to\s+)?\S+\s+(?:more|later|instances|servers|processes))/i,
  // "a single-server deployment", "single-instance".
  /\bsingle[- ](?:server|instance|process|VM|host|node)\b/i,
  // A small computer or appliance the server runs on: "runs on a Raspberry Pi 3", "installed on the device".
  /\b(?:runs?|running|hosted|deployed|installed|lives)\s+(?:\w+\s+)?on\s+(?:a|an|one|the|our|each)\s+(?:Raspberry Pi|single-board computer|BeagleBone|Jetson|embedded (?:device|board|computer)|appliance|device)\b/i,
];

/** A second count of hosts in the same sentence ("one server today, three next year") is no single host. */
const MORE_HOSTS =
  /\b(?:\d+|two|three|four|five|several|many|more)\s+(?:(?:Node(?:\.js)?|app|server)\s+)?(?:processes|instances|servers|VMs|hosts|nodes|replicas|pods|machines)\b/i;

/** Words of a fleet of several: "sticky sessions pin a client to one server" is no one-host deployment. */
const SEVERAL =
  /\bsticky\b|\bload[- ]balanc|\bround[- ]robin\b|\bfailover\b|\breplicas?\b|\b(?:to|onto|reach(?:es)?|hits?|lands? on|stays? on|pinned to) (?:the same|one|a single|only one|just one) (?:Node(?:\.js)? )?(?:process|instance|server|VM|host)\b/i;

/** The one-host requirement a sentence states, or null. */
export function singleHostIn(text: string, evidence: string): NumberRequirement | null {
  if (MORE_HOSTS.test(text) || SEVERAL.test(text)) return null;
  if (!ONE_HOST.some((p) => p.test(text))) return null;
  return {
    kind: 'number',
    metric: 'instances',
    value: 1,
    unit: 'instances',
    sentence: text,
    evidence,
    ceiling: { sentence: text, evidence },
    singleHost: true,
  };
}
