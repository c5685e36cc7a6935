// Copy-on-write editing of a Catalog: DDL replaces whole objects, then `finish()` yields the new
// immutable Catalog (version + 1) for the transaction's private use until it commits.
import { Catalog } from './catalog.js';
import type { CatalogObject } from './model.js';

export class CatalogEditor {
  private readonly objects: Map<number, CatalogObject>;
  constructor(readonly base: Catalog) {
    this.objects = new Map(base.objects);
  }
  put(object: CatalogObject): void {
    this.objects.set(object.oid, object);
  }
  remove(oid: number): void {
    this.objects.delete(oid);
  }
  get(oid: number): CatalogObject | undefined {
    return this.objects.get(oid);
  }
  finish(): Catalog {
    return new Catalog(this.objects, this.base.version + 1);
  }
}
