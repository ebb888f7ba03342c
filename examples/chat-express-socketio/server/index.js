import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { authenticate } from './auth.js';
import { rooms, joinRoom, leaveAll } from './rooms.js';

const app = express();
app.use(express.static('client/dist'));
const httpServer = createServer(app);

const io = new Server(httpServer, {
  cors: { origin: '*' },
});

const pubClient = createClient({ url: process.env.REDIS_URL ?? 'redis://localhost:6379' });
const subClient = pubClient.duplicate();
await Promise.all([pubClient.connect(), subClient.connect()]);
io.adapter(createAdapter(pubClient, subClient));

io.use(authenticate);

io.on('connection', (socket) => {
  const user = socket.data.user;

  socket.on('joinRoom', (roomId) => {
    socket.join(roomId);
    joinRoom(roomId, user);
    io.to(roomId).emit('roomUsers', [...rooms.get(roomId)]);
    socket.to(roomId).emit('userJoined', { roomId, user: user.name });
  });

  socket.on('chatMessage', ({ roomId, text }) => {
    const message = { id: Date.now(), roomId, text, from: user.name, at: new Date().toISOString() };
    io.to(roomId).emit('message', message);
  });

  socket.on('typing', ({ roomId }) => {
    socket.to(roomId).emit('typing', { roomId, user: user.name });
  });

  socket.on('disconnect', () => {
    for (const roomId of leaveAll(user)) {
      io.to(roomId).emit('roomUsers', [...rooms.get(roomId)]);
    }
  });
});

httpServer.listen(process.env.PORT ?? 3000, () => {
  console.log(`chat server on :${process.env.PORT ?? 3000}`);
});
