// A local OpenAI-compatible server for the pipeline tests: checks each request and answers
// like the real API (JSON or SSE streaming).
import http from 'node:http'

export const ANSWER = 'Rust makes systems programming safe and fast. Try it on your next service today!'

export async function startFakeOpenAI() {
  const requests = []
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      let body
      try {
        body = JSON.parse(raw)
      } catch {
        res.writeHead(400).end('{"error":{"message":"bad json"}}')
        return
      }
      requests.push({ path: req.url, body })
      if (req.url !== '/v1/chat/completions' || !Array.isArray(body.messages) || !body.messages.length) {
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end('{"error":{"message":"bad request","type":"invalid_request_error"}}')
        return
      }
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        const words = ANSWER.split(' ')
        words.forEach((w, i) => {
          const chunk = {
            id: 'c1', object: 'chat.completion.chunk', created: 1700000000, model: body.model,
            choices: [{ index: 0, delta: { content: w + (i === words.length - 1 ? '' : ' ') }, finish_reason: null }],
          }
          res.write(`data: ${JSON.stringify(chunk)}\n\n`)
        })
        const end = { id: 'c1', object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }
        const usage = { id: 'c1', object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [], usage: { prompt_tokens: 20, completion_tokens: 15, total_tokens: 35 } }
        res.end(`data: ${JSON.stringify(end)}\n\ndata: ${JSON.stringify(usage)}\n\ndata: [DONE]\n\n`)
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({
        id: 'c1', object: 'chat.completion', created: 1700000000, model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 20, completion_tokens: 15, total_tokens: 35 },
      }))
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}/v1`, requests, close: () => server.close() }
}
