// Who is in which room. Kept in this process's memory.
export const rooms = new Map();

export function joinRoom(roomId, user) {
  if (!rooms.has(roomId)) rooms.set(roomId, new Set());
  rooms.get(roomId).add(user.name);
}

export function leaveAll(user) {
  const left = [];
  for (const [roomId, members] of rooms) {
    if (members.delete(user.name)) left.push(roomId);
  }
  return left;
}
