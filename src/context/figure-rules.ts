// The figure rules of a session sentence ("5,000 concurrent users", "p95 under 150 ms"): one
// pattern per way of stating a figure, with the unit it is read in. Data only; requirements.ts
// runs them.
import type { Metric } from '../types.js';

export const WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  twenty: 20,
  fifty: 50,
  hundred: 100,
};
/**
 * A number: "5,000", "1 500", "2.5", "twelve". A rule is tried at every position of a
 * sentence, so a number starts only where one can: never inside a run of digits, and a
 * thousands grouping never at a group that continues the grouping before it ("000" in
 * "1,000,000"; after a space, when another group follows). Otherwise a session line of
 * 20,000 digits, or of "000 000 …", was read again from each position, each read scanning
 * the rest of the run: quadratic, about 30 s. "p95 1,500 ms" still reads 1,500.
 * Nor inside a token: "1e309", "0x1000", "2^40", "k8s" and "t3.medium" hold no figure of
 * users (they were read as 309, 1,000, 40, …), and "-500 users" is not 500 users.
 */
const NUM_HEAD = String.raw`(?<![\dA-Za-z_.^])(?<!(?:^|[\s(])-)((?<!\d[,_])(?!(?<=\d )\d{3}[,_ ])\d{1,3}(?:[,_ ]\d{3})+|\d+(?:\.\d+)?|${Object.keys(WORDS).join('|')})`;
/**
 * With its k/M suffix. The spaces before a suffix are taken only with the suffix: the rules
 * take the spaces after a number themselves, and a pattern that could give a run of spaces to
 * either of two `\s*` tried every split of it (quadratic in the run's length).
 */
const NUM = String.raw`${NUM_HEAD}(?:\s*([kKmM]\b))?`;
/** The same, then an optional "+" ("5,000+ users"), for the rules that allow one. */
const NUM_PLUS = String.raw`${NUM_HEAD}(?:\s*([kKmM]\b)\+?|\s*\+)?`;

export interface NumberRule {
  metric: Metric;
  unit: string;
  /**
   * Words the pattern cannot match without: each group names the alternatives of one part
   * the pattern requires, and a sentence must contain one word of every group (lower-cased,
   * or as written for a pattern without the i flag). Compiling a large case-insensitive
   * pattern costs about a millisecond on first use, so a run compiles only the rules its
   * session can match; a gate never rejects a sentence its pattern would match.
   */
  needs?: ReadonlyArray<readonly string[]>;
  pattern: RegExp;
  /** Converts the matched number (already scaled by k/M) and the match into the unit. */
  convert?: (value: number, match: RegExpExecArray) => number;
  /** A sentence must also match this for the rule to apply. */
  context?: RegExp;
}

/** A duration whose unit is the rule's third group: milliseconds or seconds. */
const toMs = (value: number, m: RegExpExecArray): number => ((m[3] ?? 'ms').toLowerCase().startsWith('m') ? value : value * 1000);

const PEOPLE_PER_ROOM = [
  'users',
  'members',
  'people',
  'participants',
  'players',
  'clients',
  'editors',
  'collaborators',
  'viewers',
  'watchers',
  'students',
  'agents',
  'fans',
  'screens',
  'dispatchers',
  'reviewers',
  'staff',
];
/** Plural nouns of a room: a count of them ("2,000 canvases open at peak") is a room count, not users. */
export const ROOM_NOUNS = 'rooms|channels|boards|canvases|games|matches|lobbies|documents|docs|halls|classes|calls';
const UNDER = ['under', 'below', 'less than', '<', 'within', 'at most', 'max', '≤'];

export const NUMBER_RULES: readonly NumberRule[] = [
  {
    metric: 'room-size',
    unit: 'users/room',
    needs: [
      PEOPLE_PER_ROOM,
      [
        'room',
        'channel',
        'doc',
        'session',
        'call',
        'workspace',
        'board',
        'canvas',
        'file',
        'hall',
        'game',
        'match',
        'ticket',
        'page',
        'store',
        'shop',
        'class',
        'team',
      ],
    ],
    pattern: new RegExp(
      `${NUM_PLUS}\\s*(?:users|members|people|participants|players|clients|editors|collaborators|viewers|watchers|students|agents|fans|screens|dispatchers|reviewers|staff)\\s+(?:per|in each|in a|each|in one|in every|on a|on each|on one)\\s+(?:room|channel|document|doc|session|call|workspace|board|canvas|file|hall|game|match|ticket|page|store|shop|class|team)`,
      'i',
    ),
  },
  {
    metric: 'room-size',
    unit: 'users/room',
    needs: [
      ['room', 'channel', 'doc', 'call', 'board'],
      [' of ', ' with '],
      ['users', 'members', 'people', 'participants', 'editors', 'collaborators'],
    ],
    pattern: new RegExp(
      `(?:rooms?|channels?|documents?|docs?|calls?|boards?) (?:of|with) (?:up to |at most |about |around )?${NUM}\\s*(?:users|members|people|participants|editors|collaborators)`,
      'i',
    ),
  },
  {
    // "rooms up to 50", "rooms hold at most 12": a size with its unit left implicit.
    metric: 'room-size',
    unit: 'users/room',
    needs: [
      ['room', 'channel', 'board', 'lobb', 'game', 'matches', 'call'],
      ['up to', 'at most', 'max', 'about', 'around'],
    ],
    pattern: new RegExp(
      `\\b(?:rooms?|channels?|boards?|lobb(?:y|ies)|games?|matches|calls?)\\s+(?:of |with |hold |holds |have |has |take |are )?(?:up to|at most|max(?:imum)?(?: of)?|about|around)\\s+${NUM}(?!\\s*(?:ms|s\\b|sec|min|%|rooms|MB|KB))`,
      'i',
    ),
  },
  {
    // "A board has 3–15 people on it", "a spec page has 5–20 viewers": a range's upper end.
    metric: 'room-size',
    unit: 'users/room',
    needs: [
      ['room', 'board', 'note', 'doc', 'page', 'channel', 'call', 'game', 'hall', 'class', 'ticket', 'canvas', 'store', 'shop', 'restaurant'],
      ['has', 'have', 'hold', 'get'],
      [
        'people',
        'users',
        'members',
        'viewers',
        'editors',
        'players',
        'participants',
        'agents',
        'students',
        'watchers',
        'collaborators',
        'screens',
        'displays',
        'devices',
        'tablets',
      ],
    ],
    // "Each store has 2 to 4 screens": the screens a store runs are its room's connections.
    pattern: new RegExp(
      `\\b(?:rooms?|boards?|notes?|documents?|docs?|pages?|channels?|calls?|games?|halls?|class(?:es)?|tickets?|canvas(?:es)?|stores?|shops?|restaurants?)\\s+(?:\\w+\\s+)?(?:has|have|holds?|gets?)\\s+(?:more than |up to |about |around |at most )?(?:\\d[\\d,]*\\s*(?:–|-|to)\\s*)?${NUM}\\s*(?:people|users|members|viewers|editors|players|participants|agents|students|watchers|collaborators|screens|displays|devices|tablets)\\b`,
      'i',
    ),
  },
  {
    // "a spec page has 5–20 viewers, up to 120 during review week": a larger size right after the usual one.
    metric: 'room-size',
    unit: 'users/room',
    needs: [
      ['room', 'board', 'page', 'channel', 'call', 'game', 'doc'],
      ['people', 'users', 'members', 'viewers', 'editors', 'players', 'participants'],
      ['up to'],
    ],
    pattern: new RegExp(
      `(?<=\\b(?:people|users|members|viewers|editors|players|participants)\\s*,\\s*)up to\\s+${NUM}\\b(?!\\s*(?:ms|s\\b|sec|min|%|rooms|MB|KB))`,
      'i',
    ),
  },
  {
    // "300 stores with 2-4 screens each", "1,200 classes of 30 students", "12 boards, each watched by
    // 5–10 people": rooms counted and sized in one phrase; the size is the range's upper end.
    metric: 'room-size',
    unit: 'users/room',
    needs: [
      ['rooms', 'channels', 'boards', 'stores', 'shops', 'restaurants', 'classes', 'teams', 'games', 'matches', 'documents', 'calls'],
      [' of ', ' with ', ' each ', 'having', 'holding'],
      [
        'people',
        'users',
        'members',
        'viewers',
        'editors',
        'players',
        'participants',
        'students',
        'watchers',
        'staff',
        'screens',
        'devices',
        'tablets',
        'displays',
      ],
    ],
    pattern: new RegExp(
      `\\b(?:rooms|channels|boards|stores|shops|restaurants|classes|teams|games|matches|documents|calls),?\\s+(?:(?:of|with|having|holding)|each\\s+(?:[a-z]+\\s+)?(?:by|with|for))\\s+(?:up to |at most |about |around )?(?:\\d[\\d,]*\\s*(?:\u2013|-|to)\\s*)?${NUM}\\s*(?:people|users|members|viewers|editors|players|participants|students|watchers|staff|screens|devices|tablets|displays)\\b`,
      'i',
    ),
  },
  {
    // "(40 for the all-hands planning board)": a larger room named next to the usual size.
    metric: 'room-size',
    unit: 'users/room',
    needs: [['('], [')'], ['board', 'room', 'note', 'page', 'call', 'game', 'channel', 'doc']],
    pattern: new RegExp(
      `\\(\\s*${NUM}\\s+(?:for|in|on)\\s+(?:the\\s+|an?\\s+)?[\\w -]{0,30}?\\b(?:boards?|rooms?|notes?|pages?|calls?|games?|channels?|documents?)\\s*\\)`,
      'i',
    ),
  },
  {
    // 'the three largest "event" rooms have 2,000 during live streams', 'the busiest escalation
    // rooms reach 25': the largest room.
    metric: 'room-size',
    unit: 'users/room',
    needs: [
      ['largest', 'biggest', 'busiest'],
      ['room', 'channel', 'game', 'board', 'call'],
    ],
    pattern: new RegExp(
      `\\b(?:largest|biggest|busiest)\\b[^.;]{0,30}?\\b(?:rooms?|channels?|games?|boards?|calls?)"?\\s+(?:have|has|hold|holds|reach|reaches|get|gets)\\s+(?:up to |about |around )?${NUM}(?!\\s*(?:ms|s\\b|sec|min|%|rooms|MB|KB))`,
      'i',
    ),
  },
  {
    metric: 'budget',
    unit: 'msg/month',
    needs: [['message', 'msg', 'event', 'request', 'call'], ['month']],
    pattern: new RegExp(`${NUM}\\s*(?:messages?|msgs?|events?|requests?|calls?)\\s*(?:\\/|per|a|each)\\s*month\\b`, 'i'),
  },
  {
    metric: 'budget',
    unit: 'msg/day',
    needs: [['message', 'msg', 'event', 'request'], ['day']],
    pattern: new RegExp(`${NUM}\\s*(?:messages?|msgs?|events?|requests?)\\s*(?:\\/|per|a|each)\\s*day\\b`, 'i'),
  },
  {
    // Money: "$99/month", "€300 / month", "$60 for the month".
    metric: 'budget',
    unit: 'currency/month',
    needs: [['$', '€', '£'], ['month']],
    // The spaces after the figure count towards the 30 characters, as they always did.
    pattern: new RegExp(`[$€£]\\s?${NUM_HEAD}\\s*([kKmM]\\b)?(?=[^.;]{0,30}\\bmonth)`, 'i'),
  },
  {
    metric: 'budget',
    unit: 'requests/user/hour',
    needs: [['message', 'msg', 'event', 'request', 'call'], ['user', 'client'], ['hour']],
    pattern: new RegExp(
      `${NUM}\\s*(?:messages?|msgs?|events?|requests?|calls?)\\s*(?:\\/|per|a|each)\\s*(?:user|client)\\s*(?:\\/|per|a|each|an)\\s*hour\\b`,
      'i',
    ),
  },
  {
    metric: 'budget',
    unit: 'bytes',
    needs: [['GB', 'GiB', 'MB', 'MiB']],
    pattern: new RegExp(`${NUM}\\s*(GB|GiB|MB|MiB)\\b`, ''),
    context: /\bRedis\b|\bmemory\b|\bRAM\b|\bElastiCache\b|\bcache\b|\ba month\b|\bper month\b/i,
    // MB and GB are decimal (the smaller, safer reading of a budget); MiB and GiB binary.
    convert: (value, m) => value * ({ GB: 1e9, GiB: 1024 ** 3, MB: 1e6, MiB: 1024 ** 2 } as Record<string, number>)[m[3]!]!,
  },
  {
    // Bandwidth: "outbound bandwidth must stay under 20 Mbit/s at peak".
    metric: 'budget',
    unit: 'Mbit/s',
    needs: [['bit/s', 'bps'], UNDER],
    pattern: new RegExp(`(?:under|below|less than|<|within|at most|max(?:imum)?(?: of)?|≤)\\s*${NUM}\\s*(Mbit\\/s|Mbps|Gbit\\/s|Gbps)`, 'i'),
    context: /\bbandwidth\b|\begress\b|\boutbound\b|\bupstream\b|\btraffic\b/i,
    convert: (value, m) => (m[3]!.toLowerCase().startsWith('g') ? value * 1000 : value),
  },
  {
    // One client's bandwidth: "a client on mobile data must stay under 30 KB/s" (bytes per second, KB = 1,024 B).
    metric: 'budget',
    unit: 'B/s per client',
    needs: [['B/s'], UNDER],
    pattern: new RegExp(`(?:under|below|less than|<|within|at most|max(?:imum)?(?: of)?|≤)\\s*${NUM}\\s*(KB\\/s|kB\\/s|KiB\\/s|MB\\/s|MiB\\/s)`, ''),
    context: /\b(?:clients?|devices?|mobile|phones?|tabs?|browsers?|per (?:user|connection))\b/i,
    convert: (value, m) => value * (/^M/i.test(m[3]!) ? 1024 * 1024 : 1024),
  },
  {
    // A retention budget: "history per user, last 50 conversations".
    metric: 'budget',
    unit: 'items kept',
    needs: [
      ['last', 'latest', 'keep', 'up to'],
      ['conversations', 'messages', 'events', 'items', 'entries', 'notifications'],
    ],
    pattern: new RegExp(`\\b(?:last|latest|keep(?: the)?|up to)\\s+${NUM}\\s+(conversations|messages|events|items|entries|notifications)\\b`, 'i'),
    context: /\bhistory\b|\bkeep\b|\bstored?\b|\bretain/i,
  },
  {
    // "one message every 10 s": a count per period.
    metric: 'message-rate',
    unit: 'msg/s',
    pattern: new RegExp(
      `(?:${NUM}|\\ban?|\\bonce)\\s*(?:(?:messages?|msgs?|events?|updates?|actions?|moves?|notifications?|times)\\s*)?(?:(?:per|for each) (?:user|agent|client|player|member) )?(?:every|each|per|a)\\s*(?:(\\d+(?:\\.\\d+)?)\\s*)?(s|secs?|seconds?|min|minutes?)\\b`,
      'i',
    ),
    convert: (value, m) => {
      const seconds = (m[4]!.toLowerCase().startsWith('m') ? 60 : 1) * Number(m[3] ?? 1);
      return (m[1] ? value : 1) / seconds;
    },
  },
  {
    metric: 'message-rate',
    unit: 'msg/s',
    needs: [
      [
        'message',
        'msg',
        'event',
        'update',
        'tick',
        'frame',
        'publishes',
        'votes',
        'answers',
        'comments',
        'changes',
        'scans',
        'keystrokes',
        'moves',
        'positions',
        'edits',
        'strokes',
        'reactions',
        'notifications',
        'trades',
        'quotes',
      ],
    ],
    pattern: new RegExp(
      `${NUM}\\s*(?:[a-z]+\\s+)?(?:messages?|msgs?|events?|updates?|ticks?|frames?|publishes|votes|answers|comments|changes|scans|keystrokes|moves|positions|edits|strokes|reactions|notifications|trades|quotes)\\s*(?:(?:per|for each|in each|on each) [a-z]{3,}\\s+)?(?:\\/|per|a|an|each|every)\\s*(\\d+\\s*)?(s|secs?|seconds?|min|minutes?|hours?)\\b`,
      'i',
    ),
    convert: (value, m) => {
      const per = (m[4] ?? 's').toLowerCase();
      const seconds = (per.startsWith('h') ? 3600 : per.startsWith('m') ? 60 : 1) * Number(m[3] ?? 1);
      return value / seconds;
    },
  },
  {
    // A burst: "3,000 answers inside 20 s, most of them in the first 5 s", "5 events in 10 s". The peak is the
    // count over the window most of it arrives in (an upper bound), else over the whole window.
    metric: 'message-rate',
    unit: 'msg/s',
    needs: [
      ['answers', 'votes', 'messages', 'events', 'requests', 'reactions', 'comments'],
      ['inside', 'within', 'over', ' in '],
    ],
    pattern: new RegExp(
      `${NUM}\\s*(?:answers|votes|messages|events|requests|reactions|comments)\\s+(?:inside|within|over|in)\\s+(?:~|about |around )?(\\d+(?:\\.\\d+)?)\\s*(s|secs?|seconds?|min|minutes?)\\b(?:[^.;]{0,20}?\\bmost(?: of them)? (?:in|within) the first (\\d+(?:\\.\\d+)?)\\s*(s|secs?|seconds?|min|minutes?)\\b)?`,
      'i',
    ),
    convert: (value, m) => {
      const seconds = (n: string, unit: string) => Number(n) * (unit.toLowerCase().startsWith('m') ? 60 : 1);
      return value / (m[5] ? seconds(m[5], m[6]!) : seconds(m[3]!, m[4]!));
    },
  },
  {
    metric: 'concurrent-users',
    unit: 'users',
    needs: [
      ['concurrent', 'simultaneous', 'connected', 'active', 'online', 'live'],
      [
        'users',
        'connections',
        'clients',
        'sockets',
        'players',
        'viewers',
        'subscribers',
        'sessions',
        'devices',
        'calls',
        'streams',
        'conversations',
        'peers',
        'participants',
      ],
    ],
    pattern: new RegExp(
      `${NUM_PLUS}\\s*(?:concurrent|simultaneous|connected|active|online|live)\\s+(?:[A-Z][a-z]+\\s+)?(?:users|connections|clients|sockets|players|viewers|subscribers|sessions|devices|calls|streams|conversations|peers|participants)`,
      'i',
    ),
  },
  {
    metric: 'concurrent-users',
    unit: 'users',
    needs: [['connections', 'sockets']],
    pattern: new RegExp(`${NUM_PLUS}\\s*(?:websocket |socket |open |persistent )?(?:connections|sockets)\\b`, 'i'),
  },
  {
    // "40 answers streaming at the same time", "25 calls at once": what is open together is the concurrency.
    metric: 'concurrent-users',
    unit: 'users',
    needs: [['at the same time', 'at once', 'simultaneously', 'concurrently']],
    pattern: new RegExp(`${NUM_PLUS}\\s*(?:[a-z]+\\s+){1,2}?(?:at the same time|at once|simultaneously|concurrently)\\b`, 'i'),
  },
  {
    // "1,800 are connected at the busiest hour", "6,500 people online", "120,000 tracking pages open".
    metric: 'concurrent-users',
    unit: 'users',
    needs: [['connected', 'online', 'open']],
    // "2,000 canvases open at peak" counts rooms, not people: roomCountOf (design/workload.ts) reads it.
    pattern: new RegExp(
      `${NUM_PLUS}(?!\\s*(?:[a-z]+\\s+)?(?:${ROOM_NOUNS})\\b)\\s*(?:[a-z]+\\s+){0,2}?(?:are |were )?(?:connected|online|open)\\b(?!\\s+(?:to|with)\\b)`,
      'i',
    ),
  },
  {
    // "About 300 admins keep the dashboard open at peak", "2,000 traders have the app open": each
    // holds a page open, a live connection, so what they keep open together is the concurrency.
    // The subject is people, never rooms ("2,000 canvases have … open" counts rooms).
    metric: 'concurrent-users',
    unit: 'users',
    needs: [['keep', 'have', 'has', 'had'], ['open']],
    pattern: new RegExp(
      `${NUM_PLUS}(?!\\s*(?:[a-z]+\\s+)?(?:${ROOM_NOUNS})\\b)\\s*(?:[a-z-]+\\s+){1,2}?(?:keep|keeps|kept|have|has|had)\\s+(?:(?:the|a|an|their|its|our|this|that)\\s+)?(?:[a-z-]+\\s+){0,2}?open\\b(?!\\s+(?:to|with|for|on)\\b)`,
      'i',
    ),
  },
  {
    // Time to first token of a streamed answer is its own target, not delivery latency.
    metric: 'first-token',
    unit: 'ms',
    needs: [UNDER],
    pattern: new RegExp(`(?:under|below|less than|<|within|at most|max(?:imum)?(?: of)?|≤)\\s*${NUM}\\s*(ms|milliseconds?|s|seconds?)\\b`, 'i'),
    context: /\bfirst (?:tokens?|bytes?|chunks?|words?)\b|time[- ]to[- ]first/i,
    convert: toMs,
  },
  {
    metric: 'latency',
    unit: 'ms',
    needs: [[...UNDER, 'p95', 'p99']],
    pattern: new RegExp(
      `(?:under|below|less than|<|within|at most|max(?:imum)?(?: of)?|p9[59](?: of| under| below|:)?|≤)\\s*${NUM}\\s*(ms|milliseconds?|s|seconds?)\\b`,
      'i',
    ),
    context: /latenc|p9[59]|round[- ]trip|delay|respon|deliver|\blag\b|\b(?:shows?|appears?|arrives?|reach(?:es)?|sees?|visible|updates?)\b/i,
    convert: toMs,
  },
  {
    // "Delivery target: 250 ms p95", "150 ms at p99": the figure before its percentile.
    metric: 'latency',
    unit: 'ms',
    needs: [['p90', 'p95', 'p99']],
    pattern: new RegExp(`${NUM}\\s*(ms|milliseconds?|s|seconds?)\\s*(?:at\\s+)?p(?:9[059]|99\\.9)\\b`, 'i'),
    convert: toMs,
  },
  {
    metric: 'payload-size',
    unit: 'bytes',
    needs: [['byte', 'B']],
    pattern: new RegExp(`${NUM}\\s*(bytes?|B|KB|KiB|kB|MB|MiB)\\b`, ''),
    context: /payload|message|frame|event|chunk|notes?\b|documents?|comments?|uploads?|images?|files?|attachments?/i,
    convert: (value, m) => value * unitBytes(m[3] ?? 'B'),
  },
  {
    metric: 'instances',
    unit: 'instances',
    needs: [['instances', 'nodes', 'servers', 'replicas', 'pods', 'containers', 'dynos', 'machines', 'tasks', 'processes']],
    pattern: new RegExp(
      `${NUM}\\s*(?:(?:Node(?:\\.js)?|app|server|backend|API) )?(?:instances|nodes|servers|replicas|pods|containers|dynos|machines|tasks|processes)\\b`,
      'i',
    ),
  },
  {
    // "one 4-vCPU VM today", "2 VMs", "two 8-core machines": a count of machines, the fleet where no
    // process count is stated. A machine word alone ("two tabs on one machine") is no fleet: a VM,
    // or a machine sized in cores, is.
    metric: 'instances',
    unit: 'machines',
    needs: [['vm', 'virtual machine', 'droplet', 'cpu', 'core']],
    pattern: new RegExp(
      `${NUM}\\s+(?:(?:(\\d+)[- ]?(?:vCPUs?|CPUs?|cores?)\\s+(?:VMs?|virtual machines?|machines?|servers?|hosts?|boxes|box|droplets?|nodes?))|VMs?|virtual machines?|droplets?)\\b`,
      'i',
    ),
  },
  {
    metric: 'duration',
    unit: 's',
    needs: [['last', 'run', 'for', 'up to', 'about', 'around']],
    // "calls last 3 to 6 minutes": a range is read at its shorter end, the one that starts the most.
    pattern: new RegExp(
      `(?:last|lasts|run|runs|for|up to|about|around)\\s+${NUM}(?:\\s*(?:to|–|-)\\s*\\d+(?:\\.\\d+)?)?\\s*(s|secs?|seconds?|min|mins|minutes?|h|hours?)\\b`,
      'i',
    ),
    context: /\b(?:sessions?|calls?|games?|match(?:es)?|meetings?|streams?|conversations?|rounds?|questions?|polls?|shifts?|answers?)\b/i,
    convert: (value, m) => value * ((m[3] ?? 's').toLowerCase().startsWith('h') ? 3600 : (m[3] ?? 's').toLowerCase().startsWith('m') ? 60 : 1),
  },
  {
    // Last: a bare user count is what is left once concurrent and per-room counts are taken.
    metric: 'users',
    unit: 'users',
    needs: [
      ['users', 'players', 'members', 'customers', 'people', 'shoppers', 'subscribers', 'viewers', 'employees', 'students', 'agents', 'fans', 'dispatchers'],
    ],
    pattern: new RegExp(
      `${NUM_PLUS}\\s*(?:registered |active |daily |monthly )?(?:users|players|members|customers|people|shoppers|subscribers|viewers|employees|students|agents|fans|dispatchers)\\b(?!\\s+(?:per|in each|in a|each|in one|on a|on each)\\b)`,
      'i',
    ),
  },
];

/** True when the sentence holds a word of every group the rule needs (see NumberRule.needs). */
export function mayMatch(rule: NumberRule, text: string, lower: string): boolean {
  if (!rule.needs) return true;
  const hay = rule.pattern.flags.includes('i') ? lower : text;
  return rule.needs.every((group) => group.some((word) => hay.includes(word)));
}

function unitBytes(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('m')) return 1024 * 1024;
  if (u.startsWith('k')) return 1024;
  return 1;
}
