/**
 * Source code of the demo functions and templates. Every Hog program here is checked with the
 * real parser by test/unit/standin.test.ts; the site_* code is TypeScript that transpiles.
 */

export const WEBHOOK_HOG = `let payload := {
    'headers': inputs.headers,
    'body': inputs.body,
    'method': inputs.method
}

if (inputs.debug) {
    print('Request', inputs.url, payload)
}

let res := fetch(inputs.url, payload);

if (inputs.debug) {
    print('Response', res.status, res.body);
}

if (res.status >= 400) {
    throw Error(f'Webhook failed with status {res.status}: {res.body}')
}`;

export const SLACK_HOG = `let res := fetch(inputs.slack_webhook_url, {
    'body': {
        'text': inputs.text,
        'blocks': inputs.blocks
    },
    'method': 'POST',
    'headers': {
        'Content-Type': 'application/json'
    }
});

if (res.status >= 400) {
    throw Error(f'Failed to post message to Slack: {res.status}: {res.body}');
}`;

export const HUBSPOT_HOG = `let properties := {}
for (let key, value in inputs.properties) {
    if (notEmpty(value)) {
        properties[key] := value
    }
}

if (empty(inputs.email)) {
    print('No email set. Skipping...')
    return
}

properties['email'] := inputs.email

let headers := {
    'Authorization': f'Bearer {inputs.access_token}',
    'Content-Type': 'application/json'
}

let res := fetch('https://api.hubapi.com/crm/v3/objects/contacts', {
    'method': 'POST',
    'headers': headers,
    'body': {'properties': properties}
})

if (res.status == 409) {
    // The contact exists already: update it by email instead
    let existingId := splitByString('Existing ID: ', res.body.message)[2]
    let updateRes := fetch(f'https://api.hubapi.com/crm/v3/objects/contacts/{existingId}', {
        'method': 'PATCH',
        'headers': headers,
        'body': {'properties': properties}
    })
    if (updateRes.status >= 400) {
        throw Error(f'Error updating contact {existingId}: {updateRes.status}: {updateRes.body}')
    }
} else if (res.status >= 400) {
    throw Error(f'Error from api.hubapi.com (status {res.status}): {res.body}')
}`;

export const RELAY_HOG = `// Relays events to the data warehouse loader; backfills replay history through the same code
let res := fetch(inputs.endpoint, {
    'method': 'POST',
    'headers': {
        'X-Api-Key': inputs.api_key,
        'Content-Type': 'application/json'
    },
    'body': {
        'uuid': event.uuid,
        'event': event.event,
        'distinct_id': event.distinct_id,
        'timestamp': event.timestamp,
        'properties': event.properties
    }
})

if (res.status >= 300) {
    throw Error(f'Relay rejected the event: {res.status}')
}`;

export const ERROR_ALERT_HOG = `// Internal destination: posts new error tracking issues to the on-call channel
let issue := event.properties
let res := fetch(inputs.webhook_url, {
    'method': 'POST',
    'headers': {'Content-Type': 'application/json'},
    'body': {
        'text': f'*{issue.name}* ({issue.status}): {issue.description}',
        'url': f'{project.url}/error_tracking/{issue.issue_id}'
    }
})
if (res.status >= 400) {
    throw Error(f'Alert webhook failed: {res.status}')
}`;

export const ADS_CONVERSIONS_HOG = `// Sends conversions to the ads API; each mapping picks the events and the conversion action
let body := {
    'conversion_action': inputs.conversion_action,
    'gclid': inputs.gclid,
    'value': toFloat(inputs.value ?? 0),
    'currency': inputs.currency ?? 'USD',
    'timestamp': event.timestamp
}
let res := fetch(f'https://ads.example.com/v2/customers/{inputs.customer_id}/conversions', {
    'method': 'POST',
    'headers': {'Content-Type': 'application/json'},
    'body': body
})
if (res.status >= 400) {
    throw Error(f'Ads API error {res.status}: {res.body}')
}`;

export const GEOIP_HOG = `// Enrich events with GeoIP data (stand-in version of the PostHog GeoIP transformation)
let ip := event.properties.$ip
if (not ip or ip == '127.0.0.1') {
    print('No public IP on the event, skipping')
    return event
}

let location := geoipLookup(ip)
if (not location) {
    print('IP not found in the GeoIP database', ip)
    return event
}

let returnEvent := event
returnEvent.properties := returnEvent.properties ?? {}
returnEvent.properties.$set := returnEvent.properties.$set ?? {}
returnEvent.properties.$set_once := returnEvent.properties.$set_once ?? {}

let props := {
    'city_name': location.city?.names?.en,
    'country_name': location.country?.names?.en,
    'country_code': location.country?.isoCode,
    'time_zone': location.location?.timeZone
}

for (let key, value in props) {
    if (value != null) {
        returnEvent.properties[f'$geoip_{key}'] := value
        returnEvent.properties.$set[f'$geoip_{key}'] := value
        returnEvent.properties.$set_once[f'$initial_geoip_{key}'] := value
    }
}

return returnEvent`;

export const PII_HASH_HOG = `// Hash personal data before it reaches any destination
let salt := inputs.salt
let returnEvent := event

for (let _, key in inputs.propertiesToHash) {
    let value := returnEvent.properties[key]
    if (notEmpty(value)) {
        returnEvent.properties[key] := sha256Hex(f'{value}{salt}')
    }
}

if (inputs.dropIp) {
    returnEvent.properties.$ip := null
}

return returnEvent`;

export const STRIPE_WEBHOOK_HOG = `// Receives Stripe webhooks and captures them as PostHog events
if (request.method != 'POST') {
    return {
        'httpResponse': {
            'status': 405,
            'body': 'Method not allowed'
        }
    }
}

let body := request.body
if (empty(body?.type)) {
    return {
        'httpResponse': {
            'status': 400,
            'body': {'error': 'Missing event type'}
        }
    }
}

let customer := body.data?.object?.customer ?? 'stripe-anonymous'

postHogCapture({
    'event': f'stripe {body.type}',
    'distinct_id': customer,
    'properties': {
        'stripe_event_id': body.id,
        'amount': body.data?.object?.amount,
        'currency': body.data?.object?.currency,
        '$lib': 'stripe-webhook'
    }
})

return {
    'httpResponse': {
        'status': 200,
        'body': {'ok': true}
    }
}`;

export const EMAIL_CAMPAIGN_HOG = `// Future function type (email_campaign): sends a templated email via the messaging product
let to := person.properties.email
if (empty(to)) {
    print('Person has no email address, skipping')
    return
}

let res := sendEmail({
    'to': {'email': to, 'name': person.properties.name ?? ''},
    'from': inputs.from,
    'subject': inputs.subject,
    'html': inputs.html
})

if (res.status >= 400) {
    throw Error(f'Email provider returned {res.status}')
}`;

/** site_app: a notification bar (TypeScript, as PostHog site apps are). */
export const NOTIFICATION_BAR_TS = `interface NotificationInputs {
    message: string
    link?: string
    backgroundColor?: string
}

export function onLoad({ inputs }: { inputs: NotificationInputs }): void {
    if (document.getElementById('hogflix-notification-bar')) {
        return
    }
    const bar = document.createElement('div')
    bar.id = 'hogflix-notification-bar'
    bar.style.cssText = 'position:fixed;top:0;left:0;right:0;padding:8px;text-align:center;z-index:9999'
    bar.style.background = inputs.backgroundColor ?? '#1d4aff'
    bar.style.color = '#fff'
    const text = inputs.link ? '<a style="color:inherit" href="' + inputs.link + '">' + inputs.message + '</a>' : inputs.message
    bar.innerHTML = text
    document.body.prepend(bar)
}`;

/** site_destination: sends conversions to an ads pixel from the browser. */
export const ADS_PIXEL_SITE_TS = `type Gtag = (...args: unknown[]) => void

export async function onLoad({ inputs }: { inputs: { conversionId: string } }): Promise<void> {
    await new Promise<void>((resolve) => {
        const script = document.createElement('script')
        script.src = 'https://ads.example.com/pixel.js?id=' + encodeURIComponent(inputs.conversionId)
        script.onload = () => resolve()
        document.head.appendChild(script)
    })
}

export function onEvent({ inputs, event }: { inputs: { conversionId: string; conversionLabel: string }; event: { event: string; properties: Record<string, unknown> } }): void {
    const gtag = (window as unknown as { gtag?: Gtag }).gtag
    if (!gtag) {
        return
    }
    gtag('event', 'conversion', {
        send_to: inputs.conversionId + '/' + inputs.conversionLabel,
        value: event.properties.revenue ?? 0,
    })
}`;

/** What PostHog stores as `transpiled` for NOTIFICATION_BAR_TS (checked against TypeScript by the unit tests). */
export const NOTIFICATION_BAR_JS = `export function onLoad({ inputs }) {
    if (document.getElementById('hogflix-notification-bar')) {
        return;
    }
    const bar = document.createElement('div');
    bar.id = 'hogflix-notification-bar';
    bar.style.cssText = 'position:fixed;top:0;left:0;right:0;padding:8px;text-align:center;z-index:9999';
    bar.style.background = inputs.backgroundColor ?? '#1d4aff';
    bar.style.color = '#fff';
    const text = inputs.link ? '<a style="color:inherit" href="' + inputs.link + '">' + inputs.message + '</a>' : inputs.message;
    bar.innerHTML = text;
    document.body.prepend(bar);
}
`;

/** What PostHog stores as `transpiled` for ADS_PIXEL_SITE_TS (checked against TypeScript by the unit tests). */
export const ADS_PIXEL_SITE_JS = `export async function onLoad({ inputs }) {
    await new Promise((resolve) => {
        const script = document.createElement('script');
        script.src = 'https://ads.example.com/pixel.js?id=' + encodeURIComponent(inputs.conversionId);
        script.onload = () => resolve();
        document.head.appendChild(script);
    });
}
export function onEvent({ inputs, event }) {
    const gtag = window.gtag;
    if (!gtag) {
        return;
    }
    gtag('event', 'conversion', {
        send_to: inputs.conversionId + '/' + inputs.conversionLabel,
        value: event.properties.revenue ?? 0,
    });
}
`;
