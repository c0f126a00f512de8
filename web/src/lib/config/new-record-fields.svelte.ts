import { applicableFields } from '@plantline/schema/configuration';
import { trpc } from '../trpc';
import { errorMessage } from '../trpc-error';
import type { EntityTypeKey } from './api-types';
import {
  asDefinitions,
  checkFormValues,
  type FormField,
  type FormValues,
  initialFormValues,
  newRecordCustomValues,
  prefixedErrors,
} from './form-values';

/**
 * The custom fields of a record being created (docs/configuration.md): the fields that apply to it
 * (every plant's, and its own plant's), their defaults filled in, checked as typed with the cloud's
 * own check and sent as `custom` in the domain's create, so the record and its values are saved
 * together. The definitions are read each time a create starts: a field an engineer added a moment
 * ago is there, no reload. Messages are keyed `custom.<key>`, the names the cloud gives its errors,
 * so one FormState shows both.
 */
export class NewRecordFields {
  fields = $state.raw<FormField[]>([]);
  values = $state<FormValues>({});
  problem = $state('');
  readonly errors: Record<string, string>;

  constructor(private readonly entityType: EntityTypeKey) {
    this.errors = $derived(prefixedErrors(checkFormValues(this.fields, this.values)));
  }

  /** Loads the definitions for a record of this plant (null: a tenant-wide record). */
  async load(plantId: string | null): Promise<void> {
    try {
      const all = asDefinitions(await trpc.config.fields.list.query({ entityType: this.entityType }));
      this.fields = applicableFields(all, plantId);
      this.problem = '';
    } catch (err) {
      // The record can still be created: the cloud applies defaults and names a missing required value.
      this.fields = [];
      this.problem = `Custom fields could not be loaded. ${errorMessage(err)}`;
    }
    this.reset();
  }

  /** Back to the defaults, for the next record. */
  reset(): void {
    this.values = initialFormValues(this.fields, {}, true);
  }

  /** The `custom` input of the create call; undefined when no field applies (the cloud still checks). */
  input(): Record<string, unknown> | undefined {
    return this.fields.length === 0 ? undefined : newRecordCustomValues(this.fields, this.values);
  }
}
