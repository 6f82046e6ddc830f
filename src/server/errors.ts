import type { ErrorKind } from '../providers/types.ts';

/** An error the gateway answers itself, in the client's provider error shape. */
export class GatewayError extends Error {
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  constructor(kind: ErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'GatewayError';
    this.kind = kind;
    this.status = status;
  }
}
