/**
 * The shape of model/lightsail.json: the control-plane model as data.
 * Facts (names, types, required members, enums, min/max/pattern, errors) follow botocore's
 * Lightsail model; `sailbucket` fields and `extension` entries are Sailbucket's own additions.
 */

export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'enum' | 'boolean'
  | 'integer' | 'long' | 'float' | 'double' | 'timestamp' | 'blob';

/** Constraints Sailbucket adds on top of botocore's (spec/lightsail-api.md). */
export interface SailbucketConstraints {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  /** The value must not contain any of these substrings (e.g. `--` in a new bucket name). */
  readonly forbiddenSubstrings?: readonly string[];
  /** The member holds a secret: never log it. */
  readonly secret?: boolean;
}

export interface MemberModel {
  readonly shape: string;
  readonly documentation: string;
  readonly deprecated?: boolean;
  readonly sailbucket?: SailbucketConstraints;
}

export interface ShapeRef { readonly shape: string }

export interface ShapeModel {
  readonly type: ShapeType;
  readonly documentation?: string;
  /** Allowed values of an `enum` shape. */
  readonly enum?: readonly string[];
  /** Length for strings, element count for lists and maps, value for numbers (botocore's meaning). */
  readonly min?: number;
  readonly max?: number;
  /** A botocore (Java-style) regular expression the whole string must match. */
  readonly pattern?: string;
  readonly sensitive?: boolean;
  readonly required?: readonly string[];
  readonly members?: { readonly [name: string]: MemberModel };
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly exception?: boolean;
  readonly fault?: boolean;
  /** HTTP status of an exception shape (400 for client errors, 500 for faults). */
  readonly httpStatus?: number;
  readonly sailbucket?: SailbucketConstraints;
  /** A Sailbucket extension shape, absent from botocore. */
  readonly extension?: boolean;
}

export interface PaginatorModel {
  readonly inputToken: string;
  readonly outputToken: string;
  readonly resultKey: string;
  readonly limitKey?: string;
}

export interface OperationModel {
  readonly targetPrefix: string;
  readonly input: string;
  readonly output: string;
  readonly errors: readonly string[];
  readonly documentation: string;
  readonly paginator?: PaginatorModel;
  /** A Sailbucket extension operation, absent from botocore. */
  readonly extension?: boolean;
}

export interface ServiceMetadata {
  readonly serviceId: string;
  readonly apiVersion: string;
  readonly protocol: string;
  readonly jsonVersion: string;
  readonly targetPrefix: string;
  readonly signingName: string;
  readonly extensionTargetPrefix: string;
  readonly source: string;
}

export interface ServiceModel {
  readonly metadata: ServiceMetadata;
  readonly operations: { readonly [name: string]: OperationModel };
  readonly shapes: { readonly [name: string]: ShapeModel };
}
