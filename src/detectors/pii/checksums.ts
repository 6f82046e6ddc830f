// Check-digit algorithms for identifiers. Each is the published algorithm of its scheme; a passing
// check turns "a number of the right length" into "almost certainly this identifier".
import { createHash } from 'node:crypto';

const digitsOf = (s: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out.push(c - 48);
  }
  return out;
};

/** Luhn (ISO/IEC 7812-1): payment cards, Canadian SIN. */
export function luhn(number: string): boolean {
  const d = digitsOf(number);
  if (d.length < 2) return false;
  let sum = 0;
  for (let i = d.length - 1, alt = false; i >= 0; i--, alt = !alt) {
    let x = d[i]!;
    if (alt) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  }
  return sum % 10 === 0;
}

/** ISO 13616 IBAN check: move the first four characters to the end, letters to 10..35, mod 97 = 1. */
export function ibanMod97(iban: string): boolean {
  const s = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

// Verhoeff (1969): dihedral group D5 multiplication, position permutation, inverse.
const VD = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VP = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff check (Indian Aadhaar): the number including its check digit reduces to 0. */
export function verhoeff(number: string): boolean {
  const d = digitsOf(number);
  let c = 0;
  for (let i = 0; i < d.length; i++) c = VD[c]![VP[i % 8]![d[d.length - 1 - i]!]!]!;
  return c === 0;
}

/** Chinese resident identity number (GB 11643-1999): ISO 7064 MOD 11-2 over 17 digits. */
export function chineseIdCheck(id: string): boolean {
  if (id.length !== 18) return false;
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    sum += c * W[i]!;
  }
  return '10X98765432'[sum % 11] === id[17]!.toUpperCase();
}

/**
 * German tax identification number (Steuer-IdNr): ISO 7064 MOD 11,10 check digit, and in the first
 * ten digits exactly one digit occurs two or three times while the others occur at most once.
 */
export function germanTaxIdCheck(id: string): boolean {
  const d = digitsOf(id);
  if (d.length !== 11 || d[0] === 0) return false;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10; i++) counts[d[i]!]!++;
  const repeated = counts.filter((n) => n >= 2);
  if (repeated.length !== 1 || repeated[0]! > 3) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (d[i]! + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === d[10];
}

/** Brazilian CPF: two mod-11 check digits; repeated-digit numbers are invalid by rule. */
export function cpfCheck(cpf: string): boolean {
  const d = digitsOf(cpf);
  if (d.length !== 11 || d.every((x) => x === d[0])) return false;
  for (const n of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[i]! * (n + 1 - i);
    const r = ((sum * 10) % 11) % 10;
    if (r !== d[n]) return false;
  }
  return true;
}

/** Spanish DNI / NIE control letter: number mod 23 indexes "TRWAGMYFPDXBNJZSQVHLCKE". */
export function spanishIdCheck(id: string): boolean {
  const s = id.replace(/-/g, '').toUpperCase();
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(s);
  if (!m) return false;
  const prefix = m[1] === 'X' ? '0' : m[1] === 'Y' ? '1' : m[1] === 'Z' ? '2' : '';
  const num = Number(prefix + m[2]);
  if (m[1] !== '' && m[2]!.length !== 7) return false;
  if (m[1] === '' && m[2]!.length !== 8) return false;
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[num % 23] === m[3];
}

// Italian codice fiscale (DM 23/12/1976): odd positions map through this table, even positions
// to 0..9 / A=0..Z=25; the sum mod 26 is the control letter.
const CF_ODD: Record<string, number> = {
  '0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18,
  N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};

export function codiceFiscaleCheck(cf: string): boolean {
  const s = cf.toUpperCase();
  if (s.length !== 16) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = s[i]!;
    const c = ch.charCodeAt(0);
    if (i % 2 === 0) {
      const v = CF_ODD[ch];
      if (v === undefined) return false;
      sum += v;
    } else sum += c >= 48 && c <= 57 ? c - 48 : c - 65;
  }
  return String.fromCharCode(65 + (sum % 26)) === s[15];
}

/** French NIR (INSEE number): key = 97 − (13-digit number mod 97); Corsica 2A/2B count as 19/18. */
export function nirCheck(nir: string): boolean {
  const s = nir.replace(/\s/g, '').toUpperCase();
  if (s.length !== 15) return false;
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(body)) return false;
  const key = Number(s.slice(13));
  return 97 - Number(BigInt(body) % 97n) === key;
}

/** Dutch BSN "elfproef": 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11). */
export function bsnCheck(bsn: string): boolean {
  const d = digitsOf(bsn);
  if (d.length !== 9 || d.every((x) => x === 0)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += d[i]! * (9 - i);
  sum -= d[8]!;
  return sum % 11 === 0;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Bitcoin Base58Check: 25 bytes whose last 4 are the double-SHA-256 of the first 21. */
export function base58Check(addr: string): boolean {
  let n = 0n;
  for (const ch of addr) {
    const v = B58.indexOf(ch);
    if (v < 0) return false;
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (let i = 0; i < addr.length && addr[i] === '1'; i++) bytes.unshift(0);
  if (bytes.length !== 25) return false;
  const payload = Buffer.from(bytes.slice(0, 21));
  const sum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest();
  for (let i = 0; i < 4; i++) if (sum[i] !== bytes[21 + i]) return false;
  return true;
}

// BIP-173 / BIP-350 Bech32 and Bech32m checksums.
const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function bech32Polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GEN[i]!;
  }
  return chk >>> 0;
}

/** A segwit address with a valid Bech32 (witness v0) or Bech32m (v1+) checksum. */
export function bech32Check(addr: string): boolean {
  const s = addr.toLowerCase();
  if (s !== addr && addr.toUpperCase() !== addr) return false;
  const pos = s.lastIndexOf('1');
  if (pos < 1 || s.length - pos < 7) return false;
  const hrp = s.slice(0, pos);
  const data: number[] = [];
  for (const ch of s.slice(pos + 1)) {
    const v = BECH32_CHARSET.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  const values = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  const pm = bech32Polymod(values);
  const version = data[0];
  return (version === 0 && pm === 1) || (version !== undefined && version > 0 && pm === 0x2bc830a3);
}
