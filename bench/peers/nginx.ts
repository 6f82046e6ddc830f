// nginx as a reverse proxy in front of the mock: the floor for any proxy. The benchmark writes its
// own configuration into a temporary prefix directory and runs nginx in the foreground on a port of
// its own; /etc/nginx, the system service and port 80 are never touched.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startProcess } from '../lib/procs.ts';
import type { Running } from '../lib/procs.ts';

/** The nginx binary on PATH (or in /usr/sbin, which root's PATH may lack), or undefined. */
export function findNginx(): string | undefined {
  for (const candidate of ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export interface NginxConfOptions {
  /** Prefix directory: pid, logs and temp files live here. */
  dir: string;
  port: number;
  /** Origin of the upstream, e.g. http://127.0.0.1:9000. */
  upstream: string;
  workers: number;
}

/**
 * A reverse proxy tuned the way one would run it in front of an LLM API: keep-alive to the upstream
 * (HTTP/1.1, Connection cleared), no response buffering so streamed events pass at once, request
 * bodies up to 8 MB held in memory, no access log (Parapet's audit log is not free either, but
 * nginx's is not the comparison point: the proxy floor is).
 */
export function nginxConf(o: NginxConfOptions): string {
  const host = new URL(o.upstream).host;
  const tmp = (name: string): string => path.join(o.dir, name);
  return `# written by bench/peers/nginx.ts for one benchmark run
worker_processes ${o.workers};
daemon off;
pid ${tmp('nginx.pid')};
error_log ${tmp('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${tmp('client_body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};
  client_max_body_size 8m;
  client_body_buffer_size 8m;
  keepalive_requests 1000000;
  upstream mock {
    server ${host};
    keepalive 256;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${o.port};
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 120s;
    }
  }
}
`;
}

/** Start nginx with a configuration written to `dir` (which must exist). */
export async function startNginx(binary: string, o: NginxConfOptions): Promise<Running> {
  const conf = path.join(o.dir, 'nginx.conf');
  fs.writeFileSync(conf, nginxConf(o));
  // -e: the error log before the configuration is read, else nginx opens /var/log/nginx/error.log.
  return startProcess({
    command: binary,
    args: ['-p', o.dir, '-c', conf, '-e', path.join(o.dir, 'error.log')],
    ready: { url: `http://127.0.0.1:${o.port}/v1/models` },
  });
}
