// The library's types against schemas/: every command, event payload and protocol message
// type exists as a schema and vice versa, the required and optional fields are the same, and
// examples typed with the library's interfaces (test/examples.ts, checked by tsc) validate.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type AnySchemaObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSIONS, type CommandType, type EventType } from '../src/commands.js';
import { ERROR_CODES, ROLES } from '../src/protocol.js';
import { commandExamples, eventExamples, protocolExamples } from './examples.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemasDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas');

function load(path: string): AnySchemaObject {
  return JSON.parse(readFileSync(join(schemasDir, path), 'utf8')) as AnySchemaObject;
}

function fieldsOf(schema: AnySchemaObject, omitType: boolean) {
  const props = Object.keys(schema.properties ?? {}).filter((k) => !(omitType && k === 'type'));
  const required = ((schema.required ?? []) as string[]).filter((k) => !(omitType && k === 'type'));
  return { props: props.sort(), required: required.sort() };
}

const draft7 = addFormats(new Ajv({ allErrors: true, strict: false }));
const draft2020 = addFormats(new Ajv2020({ allErrors: true, strict: false }) as unknown as Ajv);
for (const file of readdirSync(join(schemasDir, 'protocol'))) {
  draft2020.addSchema(load(`protocol/${file}`));
}

function validate(ajv: Ajv, schema: AnySchemaObject, value: unknown): string {
  const check = (schema.$id && ajv.getSchema(schema.$id)) || ajv.compile(schema);
  return check(value) ? '' : ajv.errorsText(check.errors);
}

describe('commands (schemas/commands)', () => {
  const files = readdirSync(join(schemasDir, 'commands')).filter((f) => f.endsWith('.json'));

  it('has one TypeScript command type per schema file and no other', () => {
    expect(Object.keys(commandExamples).sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
  });

  for (const type of Object.keys(commandExamples) as CommandType[]) {
    it(`${type}: same fields, examples validate`, () => {
      const schema = load(`commands/${type}.json`);
      const { props, required } = fieldsOf(schema, true);
      const example = commandExamples[type];
      expect(Object.keys(example.minimal).sort(), 'required fields').toEqual(required);
      expect(Object.keys(example.full).sort(), 'all fields').toEqual(props);
      expect(validate(draft7, schema, { type, ...example.minimal })).toBe('');
      expect(validate(draft7, schema, { type, ...example.full })).toBe('');
      // And the schema is not vacuous: an unknown field is refused.
      expect(validate(draft7, schema, { type, ...example.full, notAField: 1 })).not.toBe('');
    });
  }
});

describe('event payloads (schemas/events)', () => {
  const files = readdirSync(join(schemasDir, 'events')).filter((f) => f.endsWith('.json'));
  const latest = new Map<string, number>();
  for (const f of files) {
    const m = /^(\w+)\.v(\d+)\.json$/.exec(f);
    expect(m, f).not.toBeNull();
    latest.set(m![1], Math.max(latest.get(m![1]) ?? 0, Number(m![2])));
  }

  it('types every event type at its newest schema version', () => {
    expect(Object.keys(EVENT_SCHEMA_VERSIONS).sort()).toEqual([...latest.keys()].sort());
    for (const [type, version] of latest) {
      expect(EVENT_SCHEMA_VERSIONS[type as EventType], type).toBe(version);
    }
  });

  for (const type of Object.keys(eventExamples) as EventType[]) {
    it(`${type}: same fields, example validates`, () => {
      const schema = load(`events/${type}.v${EVENT_SCHEMA_VERSIONS[type]}.json`);
      const { props, required } = fieldsOf(schema, false);
      const example = eventExamples[type];
      expect(Object.keys(example.minimal).sort(), 'required fields').toEqual(required);
      expect(Object.keys(example.full).sort(), 'all fields').toEqual(props);
      expect(validate(draft7, schema, example.full)).toBe('');
    });
  }
});

describe('protocol messages (schemas/protocol)', () => {
  const files = readdirSync(join(schemasDir, 'protocol')).filter((f) => f.endsWith('.json'));

  it('has one TypeScript message type per schema file and no other', () => {
    expect(Object.keys(protocolExamples).sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
  });

  for (const [name, example] of Object.entries(protocolExamples)) {
    it(`${name}: same fields, examples validate`, () => {
      const schema = load(`protocol/${name}.json`);
      const { props, required } = fieldsOf(schema, false);
      expect(Object.keys(example.minimal).sort(), 'required fields').toEqual(required);
      expect(Object.keys(example.full).sort(), 'all fields').toEqual(props);
      expect(validate(draft2020, schema, example.minimal)).toBe('');
      expect(validate(draft2020, schema, example.full)).toBe('');
    });
  }

  it('knows the same error codes and roles as the schemas', () => {
    expect([...ERROR_CODES].sort()).toEqual([...load('protocol/error.json').properties.code.enum].sort());
    expect([...ROLES].sort()).toEqual([...load('protocol/welcome.json').properties.roles.items.enum].sort());
  });

  it('every command example is a valid submit message', () => {
    for (const [type, example] of Object.entries(commandExamples)) {
      const message = { type: 'submit', commandId: `c-${type}`, masterplan: 'm', command: { type, ...example.full } };
      expect(validate(draft2020, load('protocol/submit.json'), message), type).toBe('');
    }
  });
});
