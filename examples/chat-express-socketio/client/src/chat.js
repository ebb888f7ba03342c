import { io } from 'socket.io-client';

export function connectChat(token, handlers) {
  const socket = io(import.meta.env.VITE_CHAT_URL, {
    query: { token },
  });

  socket.on('connect', () => handlers.onStatus('online'));
  socket.on('disconnect', () => handlers.onStatus('Reconnecting…'));
  socket.on('message', (message) => handlers.onMessage(message));
  socket.on('roomUsers', (users) => handlers.onUsers(users));
  socket.on('typing', ({ user }) => handlers.onTyping(user));

  return {
    join: (roomId) => socket.emit('joinRoom', roomId),
    send: (roomId, text) => socket.emit('sendMessage', { roomId, text }),
    typing: (roomId) => socket.emit('typing', { roomId }),
  };
}
