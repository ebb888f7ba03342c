// NestJS guards run where they are applied: `@UseGuards` on a `@SubscribeMessage` handler checks
// each message, not the handshake; only a check in `handleConnection` (or a guard the gateway
// applies to connections) decides whether a socket is accepted.
// https://docs.nestjs.com/websockets/guards
import { ruleTester } from './rule-tester.js';

const PKG = JSON.stringify({
  name: 'n',
  dependencies: {
    '@nestjs/common': '10.4.4',
    '@nestjs/jwt': '10.2.0',
    '@nestjs/websockets': '10.4.4',
    '@nestjs/platform-socket.io': '10.4.4',
    'socket.io': '4.8.0',
  },
});
const GUARD =
  "import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';\nimport { JwtService } from '@nestjs/jwt';\n@Injectable()\nexport class WsJwtGuard implements CanActivate {\n  constructor(private readonly jwt: JwtService) {}\n  canActivate(context: ExecutionContext): boolean {\n    const client = context.switchToWs().getClient();\n    client.data.user = this.jwt.verify(client.handshake.auth.token);\n    return true;\n  }\n}\n";
const GATEWAY = (connection: string): string =>
  `import { UseGuards } from '@nestjs/common';\nimport { JwtService } from '@nestjs/jwt';\nimport { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';\nimport type { Server, Socket } from 'socket.io';\nimport { WsJwtGuard } from './ws-jwt.guard';\n@WebSocketGateway({ cors: { origin: ['https://a.example'] } })\nexport class ChatGateway {\n  @WebSocketServer() server!: Server;\n  constructor(private readonly jwt: JwtService) {}\n${connection}  @UseGuards(WsJwtGuard)\n  @SubscribeMessage('chat:send')\n  send(@MessageBody() body: { text: string }) {\n    this.server.emit('chat:message', body);\n  }\n}\n`;

ruleTester('no-handshake-auth', {
  valid: [
    {
      name: 'handleConnection verifies the token and disconnects otherwise',
      files: {
        'package.json': PKG,
        'src/ws-jwt.guard.ts': GUARD,
        'src/chat.gateway.ts': GATEWAY(
          '  handleConnection(client: Socket) {\n    try {\n      client.data.user = this.jwt.verify(client.handshake.auth.token);\n    } catch {\n      client.disconnect(true);\n    }\n  }\n',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'a guard on each message only: any socket connects and listens',
      files: { 'package.json': PKG, 'src/ws-jwt.guard.ts': GUARD, 'src/chat.gateway.ts': GATEWAY('') },
      errors: ['src/chat.gateway.ts:6'],
    },
  ],
});
