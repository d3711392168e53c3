/**
 * The shape of a message tree with every leaf a string: English resources are typed against the
 * Dutch ones with this, so a key missing in either language fails the type check.
 */
export type MessageShape<T> = { [K in keyof T]: T[K] extends string ? string : MessageShape<T[K]> };
