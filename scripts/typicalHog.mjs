// The Hog code the benchmarks type into: a realistic destination of the size issue 6 calls typical (~2 KB).
// Shared by scripts/bench-hog.mjs (plain Node) and scripts/bench.mjs (the real editor).

/** A realistic ~2 KB destination function. `n` renames its identifiers so that copies can be concatenated. */
export function typicalFunction(n = '') {
  return `// Webhook destination with retries and a compact payload
let payload${n} := {
    'event': event.event,
    'distinct_id': event.distinct_id,
    'timestamp': event.timestamp,
    'url': event.properties.$current_url,
    'person': {'id': person.id, 'email': person.properties.email, 'name': person.name}
}
fun headerValue${n}(value) {
    if (empty(value)) {
        return null
    }
    return trim(toString(value))
}
let headers${n} := {}
for (let key, value in inputs.headers) {
    let cleaned := headerValue${n}(value)
    if (cleaned != null) {
        headers${n}[key] := cleaned
    }
}
headers${n}['Content-Type'] := 'application/json'
if (inputs.debug) {
    print('Sending', inputs.url, payload${n})
}
let groupName${n} := groups.organization?.properties?.name ?? 'no organization'
if (notEmpty(inputs.allowed_events) and not has(inputs.allowed_events, event.event)) {
    print(f'Skipping {event.event}: not in the allowed list')
    return null
}
let utm${n} := {}
for (let key, value in event.properties) {
    if (key like 'utm_%') {
        utm${n}[key] := value
    }
}
payload${n}['utm'] := utm${n}
payload${n}['organization'] := groupName${n}
let res${n} := fetch(inputs.url, {'method': inputs.method ?? 'POST', 'headers': headers${n}, 'body': payload${n}})
if (res${n}.status == 429 or res${n}.status >= 500) {
    throw RetryError(f'Temporary failure {res${n}.status}')
}
if (res${n}.status >= 400) {
    throw Error(f'Webhook failed with status {res${n}.status}: {res${n}.body}')
}
let summary${n} := f'{event.event} for {person.name ?? event.distinct_id} at {event.timestamp}'
let tags${n} := arrayMap(t -> lower(t), splitByString(',', inputs.tags ?? ''))
if (length(tags${n}) > 0) {
    print('Tags', arrayStringConcat(tags${n}, ', '))
}
let elapsed${n} := toUnixTimestamp(now()) - toUnixTimestamp(toDateTime(event.timestamp))
if (elapsed${n} > 3600) {
    print(f'Event was {elapsed${n}} seconds old')
}
`;
}
