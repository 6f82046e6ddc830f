// URLs in tool-call arguments: a model steered by injected text exfiltrates through a fetch or
// webhook tool as easily as through a markdown image, so the policy can pin where URLs may point.

// Bounded and linear: a scheme, then host characters only; the path is irrelevant to the check.
const URL_HOST = /\b(?:https?|wss?|ftp):\/\/(?:[^\s/@?#]{0,256}@)?(\[[0-9A-Fa-f:.]{2,64}\]|[^\s/:?#"'<>\\]{1,253})/gi;

/** Hosts of the URLs found in one string, lowercased, without a trailing dot. */
export function urlHosts(text: string): string[] {
  const out: string[] = [];
  URL_HOST.lastIndex = 0;
  for (let m = URL_HOST.exec(text); m !== null; m = URL_HOST.exec(text)) {
    out.push((m[1] ?? '').toLowerCase().replace(/\.$/, ''));
  }
  return out;
}

/** `example.com` admits exactly that host; `*.example.com` admits its subdomains and itself. */
export function domainAllowed(host: string, domains: readonly string[]): boolean {
  for (const d of domains) {
    if (d.startsWith('*.')) {
      const base = d.slice(2);
      if (host === base || host.endsWith(`.${base}`)) return true;
    } else if (host === d) {
      return true;
    }
  }
  return false;
}
