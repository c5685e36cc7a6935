// Registers the built-in types once, in dependency order.
import { boolType, byteaType } from './bool-bytea.js';
import { float4Type, float8Type } from './floats.js';
import { int2Type, int4Type, int8Type, oidType } from './integers.js';
import { numericType } from './numeric-type.js';
import { registerType } from './registry.js';
import { dateType, timeType, timestampType, timestamptzType, timetzType } from './datetime-types.js';
import { intervalType } from './interval.js';
import { jsonType, jsonbType } from './json-types.js';
import { uuidType } from './uuid.js';
import { registerSystemTypes } from './system-types.js';
import { bpcharType, charType, nameType, textType, varcharType } from './strings.js';

for (const type of [
  boolType,
  byteaType,
  charType,
  nameType,
  int8Type,
  int2Type,
  int4Type,
  textType,
  oidType,
  float4Type,
  float8Type,
  bpcharType,
  varcharType,
  numericType,
  dateType,
  timeType,
  timestampType,
  timestamptzType,
  intervalType,
  timetzType,
  uuidType,
  jsonType,
  jsonbType,
]) {
  registerType(type);
}

registerSystemTypes();
