// The controllers that run together while this process leads: each is created (registering
// its informers' handlers), then the shared informers start, then every controller runs. On
// stop the controllers finish the keys in hand, then the informers, queues and recorders stop.

import type { Controller, ControllerDescriptor } from './controller.js';
import type { ControllerContext } from './context.js';

export class ControllerManager {
  private running: { name: string; controller: Controller; done: Promise<void> }[] = [];

  constructor(
    private readonly ctx: ControllerContext & { shutdown(): Promise<void> },
    private readonly descriptors: readonly ControllerDescriptor[],
  ) {}

  /** Creates every controller, starts the shared informers, then runs each controller. */
  start(): void {
    const created = this.descriptors.map((d) => ({ name: d.name, controller: d.create(this.ctx) }));
    this.ctx.informers.start();
    this.running = created.map(({ name, controller }) => ({
      name,
      controller,
      done: controller.run().catch((err: unknown) => this.ctx.logger.error({ controller: name, err: String(err) }, 'controller stopped with an error')),
    }));
    for (const { name } of created) this.ctx.logger.info({ controller: name }, 'started controller');
  }

  names(): string[] {
    return this.running.map((r) => r.name);
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((r) => r.controller.stop()));
    await Promise.all(this.running.map((r) => r.done));
    await this.ctx.shutdown();
  }
}
